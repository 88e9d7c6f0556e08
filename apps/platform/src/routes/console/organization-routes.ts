import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  AuditPage,
  AuditQuery,
  CreatedInvitation,
  EmptyInfo,
  InvitationCreateBody,
  InvitationId,
  InvitationPreview,
  Invitations,
  InvitationTokenBody,
  MemberPatchBody,
  OkEnvelope,
  OperatorIdParam,
  Organization,
  OrganizationDetails,
  OrganizationId,
  OrganizationPatchBody,
  Organizations,
} from '@mycard/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../audit/actor.js';
import { listOrganizationAudit } from '../../audit/audit-log.js';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import {
  acceptInvitation,
  createInvitation,
  listPendingInvitations,
  previewInvitation,
  revokeInvitation,
} from '../../organizations/invitations.js';
import { changeMemberRole, removeMember, renameOrganizationAudited } from '../../organizations/members.js';
import {
  getOrganization,
  listMembers,
  listOperatorOrganizations,
} from '../../organizations/organization-repository.js';
import { authorizeOrganization, operatorOf } from './console-auth.js';

const tags = ['console'];
const security = [{ consoleSession: [] }];
const Params = Type.Object({ organizationId: OrganizationId }, { additionalProperties: false });
const InvitationParams = Type.Object(
  { organizationId: OrganizationId, invitationId: InvitationId },
  { additionalProperties: false },
);
const MemberParams = Type.Object(
  { organizationId: OrganizationId, operatorId: OperatorIdParam },
  { additionalProperties: false },
);

/** Loads an organization for the endpoint's right: 4004 unknown, 4003 not a member or not allowed. */
async function loadOrganization(ctx: PlatformContext, request: FastifyRequest, organizationId: string) {
  const organization = await getOrganization(ctx.db, organizationId);
  if (!organization) throw fail('4004', 'organization_not_found');
  const role = await authorizeOrganization(ctx, request, organization.id);
  return { ...organization, role };
}

/** The operator's organizations, one organization with its members, and renaming (PROTOCOL.md §7). */
export function registerOrganizationRoutes(authed: FastifyInstance, ctx: PlatformContext): void {
  const r = authed.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/organizations',
    {
      schema: {
        tags,
        security,
        summary: 'The organizations the operator belongs to, with their role in each',
        response: { 200: OkEnvelope(Organizations), ...errorResponses('4001') },
      },
    },
    async (request) =>
      successEnvelope({ organizations: await listOperatorOrganizations(ctx.db, operatorOf(request).id) }),
  );

  r.get(
    '/organizations/:organizationId',
    {
      schema: {
        tags,
        security,
        summary: 'An organization and its members (any member)',
        params: Params,
        response: {
          200: OkEnvelope(OrganizationDetails),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      return successEnvelope({
        organization: { organizationId: org.id, name: org.name, role: org.role, createdAt: org.createdAt },
        members: await listMembers(ctx.db, org.id),
      });
    },
  );

  r.patch(
    '/organizations/:organizationId',
    {
      schema: {
        tags,
        security,
        summary: 'Rename the organization (owners)',
        params: Params,
        body: OrganizationPatchBody,
        response: {
          200: OkEnvelope(OrganizationDetails),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      await renameOrganizationAudited(ctx, actorOf(request, operatorOf(request)), org.id, request.body.name);
      return successEnvelope({
        organization: {
          organizationId: org.id,
          name: request.body.name,
          role: org.role,
          createdAt: org.createdAt,
        },
        members: await listMembers(ctx.db, org.id),
      });
    },
  );
  r.get(
    '/organizations/:organizationId/invitations',
    {
      schema: {
        tags,
        security,
        summary: 'The pending invitations, newest first (owners)',
        params: Params,
        response: {
          200: OkEnvelope(Invitations),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      return successEnvelope({ invitations: await listPendingInvitations(ctx, org.id) });
    },
  );

  r.post(
    '/organizations/:organizationId/invitations',
    {
      schema: {
        tags,
        security,
        summary:
          'Invite an e-mail address with a role (owners): a single-use link valid 7 days, shown once; 3004 when that address is a member already',
        params: Params,
        body: InvitationCreateBody,
        response: {
          201: OkEnvelope(CreatedInvitation),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      const { invitation, token } = await createInvitation(
        ctx,
        actorOf(request, operatorOf(request)),
        org.id,
        request.body,
      );
      reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .send(
          successEnvelope({ invitation, acceptUrl: `${ctx.config.publicUrl}/console/#/invite/${token}` }),
        );
    },
  );

  r.delete(
    '/organizations/:organizationId/invitations/:invitationId',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke a pending invitation (owners): its link stops working at once',
        params: InvitationParams,
        response: {
          200: OkEnvelope(EmptyInfo),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      await revokeInvitation(ctx, actorOf(request, operatorOf(request)), org.id, request.params.invitationId);
      return successEnvelope({});
    },
  );

  r.patch(
    '/organizations/:organizationId/members/:operatorId',
    {
      schema: {
        tags,
        security,
        summary:
          "Change a member's role (owners); 3004 when it would leave the organization without an owner",
        params: MemberParams,
        body: MemberPatchBody,
        response: {
          200: OkEnvelope(OrganizationDetails),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      const actor = actorOf(request, operatorOf(request));
      await changeMemberRole(ctx, actor, org.id, request.params.operatorId, request.body.role);
      const members = await listMembers(ctx.db, org.id);
      const ownRole = members.find((m) => m.operatorId === actor.id)?.role ?? org.role;
      return successEnvelope({
        organization: { organizationId: org.id, name: org.name, role: ownRole, createdAt: org.createdAt },
        members,
      });
    },
  );

  r.delete(
    '/organizations/:organizationId/members/:operatorId',
    {
      schema: {
        tags,
        security,
        summary:
          'Remove a member (owners), or leave (any member, with their own id); 3004 for the last owner',
        params: MemberParams,
        response: {
          200: OkEnvelope(EmptyInfo),
          ...errorResponses('2101', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      await removeMember(ctx, actorOf(request, operatorOf(request)), org.id, request.params.operatorId);
      return successEnvelope({});
    },
  );

  r.get(
    '/organizations/:organizationId/audit',
    {
      schema: {
        tags,
        security,
        summary:
          'The audit log of the organization and its programs, newest first, paged by `before` (owners and admins)',
        params: Params,
        querystring: AuditQuery,
        response: {
          200: OkEnvelope(AuditPage),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const org = await loadOrganization(ctx, request, request.params.organizationId);
      reply.header('cache-control', 'no-store');
      const { before, limit } = request.query;
      return successEnvelope(
        await listOrganizationAudit(ctx.db, org.id, {
          ...(before !== undefined ? { before: Number(before) } : {}),
          ...(limit !== undefined ? { limit: Number(limit) } : {}),
        }),
      );
    },
  );

  r.post(
    '/invitations/preview',
    {
      schema: {
        tags,
        security,
        summary:
          'What an invitation link invites the signed-in operator to; 4004 when used, revoked or expired, 4003 when made for another e-mail',
        body: InvitationTokenBody,
        response: {
          200: OkEnvelope(Type.Object({ invitation: InvitationPreview })),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return successEnvelope({
        invitation: await previewInvitation(ctx, request.body.token, operatorOf(request)),
      });
    },
  );

  r.post(
    '/invitations/accept',
    {
      schema: {
        tags,
        security,
        summary:
          'Accept an invitation: the signed-in operator (with the invited e-mail) joins with its role; the link is used up',
        body: InvitationTokenBody,
        response: {
          200: OkEnvelope(Type.Object({ organization: Organization })),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const operator = operatorOf(request);
      const joined = await acceptInvitation(ctx, operator, request.ip, request.body.token);
      const organization = (await listOperatorOrganizations(ctx.db, operator.id)).find(
        (o) => o.organizationId === joined.organizationId,
      );
      if (!organization) throw fail('4004', 'organization_not_found');
      return successEnvelope({ organization });
    },
  );
}
