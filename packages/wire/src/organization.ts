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
