import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  OkEnvelope,
  OrganizationDetails,
  OrganizationId,
  OrganizationPatchBody,
  Organizations,
} from '@mycard/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import {
  getOrganization,
  listMembers,
  listOperatorOrganizations,
  renameOrganization,
} from '../../organizations/organization-repository.js';
import { authorizeOrganization, operatorOf } from './console-auth.js';

const tags = ['console'];
const security = [{ consoleSession: [] }];
const Params = Type.Object({ organizationId: OrganizationId }, { additionalProperties: false });

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
      await renameOrganization(ctx.db, org.id, request.body.name);
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
}
