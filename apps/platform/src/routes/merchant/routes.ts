import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  BindingId,
  CardProfile,
  Envelope,
  ErrorEnvelope,
  MembershipCode,
  Token,
} from '../../bindings/schemas.js';
import type { PlatformContext } from '../../context.js';
import { applyBinding } from '../../flows/apply/apply-binding.js';
import { merchantUnbind } from '../../flows/merchant/merchant-unbind.js';
import { updateProfile } from '../../flows/merchant/update-profile.js';
import { resolveOneTimeKey } from '../../flows/one-time-keys/resolve-one-time-key.js';
import { merchantProgramOf } from '../../merchant-auth/authenticate-merchant.js';

const security = [{ merchantHmac: [] }];

/** The merchant API (PROTOCOL.md §4.5, §6); the HMAC hook is installed by the caller's scope. */
export function registerMerchantApi(app: FastifyInstance, ctx: PlatformContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/v1/bindings/apply',
    {
      schema: {
        tags: ['binding flow', 'merchant'],
        summary: 'Apply API: store the membership code for a binding token (RESERVED → APPLIED)',
        security,
        body: Type.Object(
          { token: Token, membershipCode: MembershipCode, profile: Type.Optional(CardProfile) },
          { additionalProperties: false },
        ),
        response: {
          200: Envelope(
            Type.Object({ bindingId: BindingId, completionToken: Type.String(), callbackUrl: Type.String() }),
          ),
          '4xx': ErrorEnvelope,
        },
      },
    },
    async (request) => {
      const result = await applyBinding(ctx, merchantProgramOf(request), request.body);
      request.log.info({ bindingId: result.bindingId }, 'binding applied');
      return successEnvelope(result);
    },
  );

  r.post(
    '/v1/cards/profile',
    {
      schema: {
        tags: ['merchant'],
        summary: 'Set what the wallet shows on a card; version must grow (3008)',
        security,
        body: Type.Object({ bindingId: BindingId, profile: CardProfile }, { additionalProperties: false }),
        response: {
          200: Envelope(Type.Object({ bindingId: BindingId, profile: CardProfile })),
          '4xx': ErrorEnvelope,
        },
      },
    },
    async (request) =>
      successEnvelope(await updateProfile(ctx, merchantProgramOf(request).channelId, request.body)),
  );

  r.post(
    '/v1/cards/unbind',
    {
      schema: {
        tags: ['merchant'],
        summary: 'End a card from the merchant side; idempotent',
        security,
        body: Type.Object(
          { bindingId: BindingId, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Envelope(Type.Object({ bindingId: BindingId, state: Type.String() })),
          '4xx': ErrorEnvelope,
        },
      },
    },
    async (request) => successEnvelope(await merchantUnbind(ctx, merchantProgramOf(request), request.body)),
  );

  r.get(
    '/v1/onetimekeys/:oneTimeKey',
    {
      schema: {
        tags: ['merchant'],
        summary: "Resolve a scanned My Code to this channel's card of its holder (once per channel)",
        security,
        params: Type.Object(
          { oneTimeKey: Type.String({ pattern: '^[0-9]{18}$' }) },
          { additionalProperties: false },
        ),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Envelope(Type.Object({ bindingId: BindingId, membershipCode: Type.String() })),
          '4xx': ErrorEnvelope,
        },
      },
    },
    async (request) =>
      successEnvelope(
        await resolveOneTimeKey(ctx, merchantProgramOf(request).channelId, request.params.oneTimeKey),
      ),
  );
}
