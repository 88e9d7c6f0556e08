import { type Static, Type } from 'typebox';

/** The bodies of the console's organization API (PROTOCOL.md §7, docs/console-api.md). */

/** The roles of an organization's members, most rights first (PROTOCOL.md §7). */
export const ORGANIZATION_ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];
export const OrganizationRole = Type.Unsafe<OrganizationRole>({
  type: 'string',
  enum: [...ORGANIZATION_ROLES],
});

/** `org_` and 16 base64url characters. */
export const OrganizationId = Type.String({ pattern: '^org_[A-Za-z0-9_-]{16}$' });

export const OrganizationName = Type.String({ minLength: 1, maxLength: 64 });

/** An organization as one of its members sees it: with the member's own role. */
export const Organization = Type.Object({
  organizationId: Type.String(),
  name: Type.String(),
  role: OrganizationRole,
  createdAt: Type.String(),
});
export type Organization = Static<typeof Organization>;

/** A member of an organization. */
export const OrganizationMember = Type.Object({
  operatorId: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: OrganizationRole,
  joinedAt: Type.String(),
});
export type OrganizationMember = Static<typeof OrganizationMember>;

/** `GET /v1/console/organizations`. */
export const Organizations = Type.Object({ organizations: Type.Array(Organization) });
export type Organizations = Static<typeof Organizations>;

/** `GET /v1/console/organizations/{organizationId}`. */
export const OrganizationDetails = Type.Object({
  organization: Organization,
  members: Type.Array(OrganizationMember),
});
export type OrganizationDetails = Static<typeof OrganizationDetails>;

/** `PATCH /v1/console/organizations/{organizationId}`. */
export const OrganizationPatchBody = Type.Object({ name: OrganizationName }, { additionalProperties: false });
export type OrganizationPatchBody = Static<typeof OrganizationPatchBody>;

/** `inv_` and 16 base64url characters. */
export const InvitationId = Type.String({ pattern: '^inv_[A-Za-z0-9_-]{16}$' });

/** The secret of an invitation link: 43 base64url characters (256 bits). */
export const InvitationToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

/** An e-mail address as the console takes it (the sign-up rule). */
export const InvitationEmail = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });

/** A pending invitation as its organization's owners see it (never with its token). */
export const Invitation = Type.Object({
  invitationId: Type.String(),
  email: Type.String(),
  role: OrganizationRole,
  invitedBy: Type.Object({ operatorId: Type.String(), displayName: Type.String() }),
  createdAt: Type.String(),
  expiresAt: Type.String(),
});
export type Invitation = Static<typeof Invitation>;

/** `POST /v1/console/organizations/{organizationId}/invitations`. */
export const InvitationCreateBody = Type.Object(
  { email: InvitationEmail, role: OrganizationRole },
  { additionalProperties: false },
);
export type InvitationCreateBody = Static<typeof InvitationCreateBody>;

/**
 * The answer to creating an invitation: the link (shown once; the platform keeps only its hash).
 * The token is in the link's fragment (`#/invite/{token}`), so it never reaches a server log.
 */
export const CreatedInvitation = Type.Object({ invitation: Invitation, acceptUrl: Type.String() });
export type CreatedInvitation = Static<typeof CreatedInvitation>;

/** `GET /v1/console/organizations/{organizationId}/invitations`: the pending ones, newest first. */
export const Invitations = Type.Object({ invitations: Type.Array(Invitation) });
export type Invitations = Static<typeof Invitations>;

/** `POST /v1/console/invitations/preview` and `…/accept`. */
export const InvitationTokenBody = Type.Object({ token: InvitationToken }, { additionalProperties: false });
export type InvitationTokenBody = Static<typeof InvitationTokenBody>;

/** What the invitee sees before accepting. */
export const InvitationPreview = Type.Object({
  organizationName: Type.String(),
  email: Type.String(),
  role: OrganizationRole,
  invitedBy: Type.String(),
  expiresAt: Type.String(),
});
export type InvitationPreview = Static<typeof InvitationPreview>;

/** `PATCH /v1/console/organizations/{organizationId}/members/{operatorId}`. */
export const MemberPatchBody = Type.Object({ role: OrganizationRole }, { additionalProperties: false });
export type MemberPatchBody = Static<typeof MemberPatchBody>;

/** An operator id as in a path. */
export const OperatorIdParam = Type.String({ pattern: '^op_[A-Za-z0-9_-]{16}$' });

/** One entry of an organization's audit log (PROTOCOL.md §7). */
export const OrganizationAuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  /** e.g. `secret.revealed`, `member.role_changed` (docs/console-api.md lists them). */
  action: Type.String(),
  actor: Type.Object({
    kind: Type.Union([
      Type.Literal('operator'),
      Type.Literal('platform-admin'),
      Type.Literal('cli'),
      Type.Literal('system'),
    ]),
    /** The operator, when one acted and may be named to this organization; else null. */
    operatorId: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    displayName: Type.Union([Type.String(), Type.Null()]),
  }),
  targetType: Type.String(),
  targetId: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  /** The client address the action came from (null for the CLI, the platform, its administrators). */
  sourceAddress: Type.Union([Type.String(), Type.Null()]),
});
export type OrganizationAuditEntry = Static<typeof OrganizationAuditEntry>;

/** `GET /v1/console/organizations/{organizationId}/audit`: newest first; `nextBefore` pages on. */
export const AuditPage = Type.Object({
  entries: Type.Array(OrganizationAuditEntry),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;

/**
 * Query of the audit log: entries with an id below `before`, at most `limit` (1–100, default 50).
 * Decimal strings, as a query string carries them (no type coercion: `?limit=abc` is 2101).
 */
export const AuditQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,14}$' })),
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$' })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
