import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  BindingPreview,
  BundleId,
  CallbackStatus,
  ChannelId,
  CompletionResult,
  OkEnvelope,
  Reservation,
  Token,
} from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { issueReservationVerifier, readReservationVerifier } from '../../bindings/reservation-cookie.js';
import type { PlatformContext } from '../../context.js';
import { cancelBindingByToken } from '../../flows/complete/cancel-binding.js';
import { completeBinding } from '../../flows/complete/complete-binding.js';
import { previewBinding } from '../../flows/complete/preview-binding.js';
import { reserveBinding } from '../../flows/reserve/reserve-binding.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { walletUserOf } from '../../wallet/wallet-session.js';

const tags = ['binding flow'];
const security = [{ walletSession: [] }];

/** Binding Reserve, preview and Verify-and-complete (PROTOCOL.md §4.1, §4.7). Behind wallet auth. */
export function registerBindingRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // Reserves per wallet user, across instances; protects capacity, so it fails open (counted in
  // mycard_rate_limit_store_errors_total) while the shared store is down.
  const reserveLimiter = ctx.limits.limiter({
    name: 'reserve-user',
    limit: ctx.config.rateLimits.reservePerMinute,
    windowMs: 60_000,
    onOutage: 'open',
  });

  r.post(
    '/v1/bindings',
    {
      schema: {
        tags,
        summary:
          'Binding Reserve: start adding a card (optionally from a campaign bundle); sets the reservation cookie',
        security,
        body: Type.Object(
          {
            channelId: ChannelId,
            bundleId: Type.Optional({
              ...BundleId,
              description:
                'The bundle the card is added from (PROTOCOL.md §9): 4004 unless it offers this program',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: OkEnvelope(Reservation),
          ...errorResponses('1101', '1102', '2101', '2102', '3006', '4001', '4003', '4004', '4029'),
        },
      },
    },
    async (request, reply) => {
      const user = walletUserOf(request);
      const { allowed, retryAfter } = await reserveLimiter.hit(user.id);
      if (!allowed) {
        reply.header('retry-after', String(retryAfter));
        throw fail('4029', 'reserve_rate_limited');
      }
      const verifier = issueReservationVerifier(ctx, request, reply);
      const result = await reserveBinding(ctx, {
        userId: user.id,
        channelId: request.body.channelId,
        ...(request.body.bundleId ? { bundleId: request.body.bundleId } : {}),
        verifier,
      });
      return reply.code(201).send(successEnvelope(result));
    },
  );

  r.post(
    '/v1/bindings/preview',
    {
      schema: {
        tags,
        summary: 'What the completion token would add (for the confirm screen); consumes nothing',
        security,
        body: Type.Object({ token: Token, channelId: ChannelId }, { additionalProperties: false }),
        response: {
          200: OkEnvelope(BindingPreview),
          ...errorResponses('1102', '2101', '2102', '3002', '3003', '3004', '3007', '4001', '4003'),
        },
      },
    },
    async (request) => {
      const user = walletUserOf(request);
      const preview = await previewBinding(ctx, {
        userId: user.id,
        token: request.body.token,
        channelId: request.body.channelId,
        verifier: readReservationVerifier(request),
      });
      return successEnvelope(preview);
    },
  );

  r.post(
    '/v1/bindings/complete',
    {
      schema: {
        tags,
        summary:
          'Verify and complete binding (SUCCESS → card ACTIVE; CANCEL/FAIL with the binding or completion token → CANCELLED)',
        security,
        body: Type.Object(
          {
            token: Token,
            channelId: ChannelId,
            status: CallbackStatus,
          },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(CompletionResult),
          ...errorResponses(
            '1102',
            '2101',
            '2102',
            '3001',
            '3002',
            '3003',
            '3004',
            '3006',
            '3007',
            '4001',
            '4003',
          ),
        },
      },
    },
    async (request) => {
      const user = walletUserOf(request);
      const { token, channelId, status } = request.body;
      const verifier = readReservationVerifier(request);
      if (status === 'SUCCESS') {
        const card = await completeBinding(ctx, { userId: user.id, token, channelId, verifier });
        return successEnvelope({ card });
      }
      return successEnvelope(
        await cancelBindingByToken(ctx, { userId: user.id, token, channelId, status, verifier }),
      );
    },
  );
}
