import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type ErrorReturnCode, MyCardError, successEnvelope } from '@mycard/protocol';
import {
  ApplyBody,
  ApplyResult,
  BindingStatus,
  BindingStatusParams,
  OkEnvelope,
  OneTimeKeyParams,
  OneTimeKeyResolution,
  ProfileUpdateBody,
  ProfileUpdateResult,
  SendMessageBody,
  SentMessage,
  UnbindBody,
  UnbindResult,
} from '@mycard/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { applyBinding } from '../../flows/apply/apply-binding.js';
import { getBindingStatus } from '../../flows/merchant/get-binding.js';
import { merchantUnbind } from '../../flows/merchant/merchant-unbind.js';
import { updateProfile } from '../../flows/merchant/update-profile.js';
import { sendMessage } from '../../flows/messages/send-message.js';
import { resolveOneTimeKey } from '../../flows/one-time-keys/resolve-one-time-key.js';
import { errorResponse, errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { callerChannelIdOf, merchantProgramOf } from '../../merchant-auth/authenticate-merchant.js';

const security = [{ merchantHmac: [] }];
const BINDING_ID = /^[A-Za-z0-9_-]{22,40}$/; // the BindingId schema's pattern

/**
 * The error responses of a merchant route: what the HMAC hook answers (1101, 1102, 1106, 1108, 4029
 * signature-failure lockout, 4004 for a non-canonical path, 1103 for a group participant's channel on a
 * route it may not call), schema errors (2101), and for a POST the body size (2102) and a content
 * type that is not JSON (415 / 2101), plus the route's own `codes`.
 */
function merchantErrors(method: 'GET' | 'POST', ...codes: ErrorReturnCode[]) {
  const auth: ErrorReturnCode[] = ['1101', '1102', '1103', '1106', '1108', '2101', '4004', '4029'];
  if (method === 'GET') return errorResponses(...auth, ...codes);
  return { ...errorResponses(...auth, '2102', ...codes), 415: errorResponse(['2101']) };
}

/** A group participant's answer names the group program whose card it is (PROTOCOL.md §8). */
function withProgramChannelId<T extends object>(
  request: FastifyRequest,
  answer: T,
): T & { programChannelId?: string } {
  if (!request.merchantParticipant) return answer;
  return { ...answer, programChannelId: request.merchantParticipant.programChannelId };
}

/** The merchant API (PROTOCOL.md §4.5, §6); the HMAC hook is installed by the caller's scope. */
export function registerMerchantApi(app: FastifyInstance, ctx: PlatformContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const keyLookupFailures = ctx.limits.limiter({
    name: 'one-time-key-failures',
    limit: ctx.config.rateLimits.oneTimeKeyFailuresPerMinute,
    windowMs: 60_000,
    onOutage: 'open',
  });

  r.post(
    '/v1/bindings/apply',
    {
      config: { nonceInStep: true },
      schema: {
        tags: ['binding flow', 'merchant'],
        summary: 'Apply API: store the membership code for a binding token (RESERVED → APPLIED)',
        security,
        body: ApplyBody,
        response: {
          200: OkEnvelope(ApplyResult),
          ...merchantErrors('POST', '2103', '3001', '3002', '3003', '3004', '3005', '3006'),
        },
      },
    },
    async (request) => {
      const result = await applyBinding(ctx, merchantProgramOf(request), request.body, request.merchantNonce);
      request.log.info({ bindingId: result.bindingId }, 'binding applied');
      return successEnvelope(result);
    },
  );

  r.post(
    '/v1/cards/profile',
    {
      config: { nonceInStep: true },
      schema: {
        tags: ['merchant'],
        summary:
          'Merge into what the wallet shows on a card (absent keeps, null clears); version must grow (3008)',
        security,
        body: ProfileUpdateBody,
        response: {
          200: OkEnvelope(ProfileUpdateResult),
          ...merchantErrors('POST', '3003', '3008'),
        },
      },
    },
    async (request) =>
      successEnvelope(
        await updateProfile(ctx, merchantProgramOf(request).channelId, request.body, request.merchantNonce),
      ),
  );

  r.post(
    '/v1/cards/messages',
    {
      schema: {
        tags: ['merchant'],
        summary:
          "A message to the card's holder (inbox, §11): idempotent by messageId; at most 3 per card in any 24 h (4029 + Retry-After)",
        security,
        body: SendMessageBody,
        response: {
          200: OkEnvelope(SentMessage),
          ...merchantErrors('POST', '3003'),
        },
      },
    },
    async (request, reply) => {
      const outcome = await sendMessage(ctx, merchantProgramOf(request).channelId, request.body);
      if ('quotaRetryAfter' in outcome) {
        reply.header('retry-after', String(outcome.quotaRetryAfter));
        throw fail('4029', 'message_quota');
      }
      return successEnvelope(outcome.sent);
    },
  );

  r.post(
    '/v1/cards/unbind',
    {
      schema: {
        tags: ['merchant'],
        summary: 'End a card from the merchant side; idempotent',
        security,
        body: UnbindBody,
        response: {
          200: OkEnvelope(UnbindResult),
          ...merchantErrors('POST', '3003'),
        },
      },
    },
    async (request) => successEnvelope(await merchantUnbind(ctx, merchantProgramOf(request), request.body)),
  );

  r.get(
    '/v1/bindings/:bindingId',
    {
      // Group participants may ask about the group program's bindings (PROTOCOL.md §8).
      config: { participantChannels: true },
      schema: {
        tags: ['binding flow', 'merchant'],
        summary: 'What became of a binding of this channel (RESERVED … ACTIVE, CANCELLED, EXPIRED, UNBOUND)',
        security,
        // Any segment reaches the handler: one that is no binding id (`apply`, `complete`…) names
        // no resource here and is 4004 like any unknown path (each path accepts one method).
        params: BindingStatusParams,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: OkEnvelope(BindingStatus),
          ...merchantErrors('GET', '3003'),
        },
      },
    },
    async (request) => {
      if (!BINDING_ID.test(request.params.bindingId)) throw fail('4004', 'not_a_binding_id');
      const status = await getBindingStatus(
        ctx,
        merchantProgramOf(request).channelId,
        request.params.bindingId,
      );
      return successEnvelope(withProgramChannelId(request, status));
    },
  );

  r.get(
    '/v1/onetimekeys/:oneTimeKey',
    {
      config: { participantChannels: true },
      schema: {
        tags: ['merchant'],
        summary: "Resolve a scanned My Code to this channel's card of its holder (once per channel)",
        security,
        params: OneTimeKeyParams,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: OkEnvelope(OneTimeKeyResolution),
          ...merchantErrors('GET', '3010', '3011'),
        },
      },
    },
    async (request, reply) => {
      const programChannelId = merchantProgramOf(request).channelId;
      const channelId = callerChannelIdOf(request);
      // Failed lookups (unknown, used, expired keys; no card) per channel, like failed signatures:
      // an 18-digit key cannot be found by guessing at 60 tries a minute (issue 9.8).
      const block = await keyLookupFailures.blocked(channelId);
      if (block.blocked) {
        reply.header('retry-after', String(block.retryAfter));
        throw fail('4029', 'one_time_key_lookups');
      }
      try {
        const resolution = await resolveOneTimeKey(
          ctx,
          programChannelId,
          request.params.oneTimeKey,
          channelId,
        );
        return successEnvelope(withProgramChannelId(request, resolution));
      } catch (err) {
        if (err instanceof MyCardError && (err.returnCode === '3010' || err.returnCode === '3011')) {
          await keyLookupFailures.hit(channelId);
        }
        throw err;
      }
    },
  );
}
