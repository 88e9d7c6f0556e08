import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { BundleId, BundleInvitation, BundleMemberStateSchema, ChannelId, OkEnvelope } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../audit/actor.js';
import { decideMembership, listInvitations } from '../../bundles/bundle-repository.js';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { loadOwnedProgram, operatorOf } from './console-auth.js';

const tags = ['console'];
const security = [{ consoleSession: [] }];
const Params = Type.Object({ channelId: ChannelId, bundleId: BundleId }, { additionalProperties: false });

/**
 * A program's side of campaign bundles (PROTOCOL.md §9): the invitations and memberships of the
 * operator's programs, and accepting or leaving (owners and admins of the program's organization).
 */
export function registerBundleRoutes(authed: FastifyInstance, ctx: PlatformContext): void {
  const r = authed.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/bundles',
    {
      schema: {
        tags,
        security,
        summary: "Bundle invitations and memberships of the programs of the operator's organizations",
        response: {
          200: OkEnvelope(Type.Object({ invitations: Type.Array(BundleInvitation) })),
          ...errorResponses('4001'),
        },
      },
    },
    async (request) => successEnvelope({ invitations: await listInvitations(ctx, operatorOf(request).id) }),
  );

  for (const decision of ['accept', 'leave'] as const) {
    r.post(
      `/programs/:channelId/bundles/:bundleId/${decision}`,
      {
        schema: {
          tags,
          security,
          summary:
            decision === 'accept'
              ? 'Accept the invitation: the program joins the bundle (idempotent; 3004 after leaving)'
              : 'Leave the bundle, or decline its invitation (idempotent)',
          params: Params,
          body: Type.Object({}, { additionalProperties: false }),
          response: {
            200: OkEnvelope(
              Type.Object({ bundleId: BundleId, channelId: ChannelId, state: BundleMemberStateSchema }),
            ),
            ...errorResponses(
              '2101',
              '2102',
              ...(decision === 'accept' ? (['3004'] as const) : []),
              '4001',
              '4003',
              '4004',
            ),
          },
        },
      },
      async (request) => {
        const { channelId, bundleId } = request.params;
        await loadOwnedProgram(ctx, request, channelId);
        const state = await decideMembership(
          ctx,
          actorOf(request, operatorOf(request)),
          bundleId,
          channelId,
          decision,
        );
        return successEnvelope({ bundleId, channelId, state });
      },
    );
  }
}
