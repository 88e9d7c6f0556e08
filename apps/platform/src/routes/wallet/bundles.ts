import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { BundleId, OkEnvelope, WalletBundle } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { walletBundle } from '../../bundles/bundle-repository.js';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { walletUserOf } from '../../wallet/wallet-session.js';

/**
 * `GET /v1/bundles/{bundleId}` (PROTOCOL.md §9): the bundle page's data for the signed-in user —
 * its joined programs the user may add, each with `cardHeld`. 4004 outside its dates (unless the
 * user tests every DRAFT program in it), when unknown, or when it offers the user nothing. Each
 * answer counts as a view in the bundle's figures.
 */
export function registerBundleRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v1/bundles/:bundleId',
    {
      schema: {
        tags: ['wallet'],
        summary: 'A campaign bundle: its programs and which cards the user already holds',
        security: [{ walletSession: [] }],
        params: Type.Object({ bundleId: BundleId }, { additionalProperties: false }),
        response: {
          200: OkEnvelope(WalletBundle),
          ...errorResponses('2101', '4001', '4004'),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return successEnvelope(await walletBundle(ctx, request.params.bundleId, walletUserOf(request).id));
    },
  );
}
