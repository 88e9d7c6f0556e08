import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  BindingId,
  Inbox,
  InboxMessageParams,
  MessageReadResult,
  MuteBody,
  MuteResult,
  OkEnvelope,
} from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { listInbox, markMessageRead, muteCard } from '../../flows/messages/inbox.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { walletUserOf } from '../../wallet/wallet-session.js';

const security = [{ walletSession: [] }];
const CardParams = Type.Object({ bindingId: BindingId }, { additionalProperties: false });

/** The wallet's inbox and per-card mute (PROTOCOL.md §11). Behind wallet auth and the CSRF guard. */
export function registerInboxRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/inbox',
    {
      // Live (§11): the wallet polls the inbox for its unread badge; unchanged is a 304.
      config: { etag: true },
      schema: {
        tags: ['wallet'],
        summary: "Messages to the user's cards, newest first (muted cards' messages left out)",
        security,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: OkEnvelope(Inbox), ...errorResponses('2101', '4001') },
      },
    },
    async (request) => successEnvelope({ messages: await listInbox(ctx, walletUserOf(request).id) }),
  );

  r.post(
    '/v1/inbox/:channelId/:messageId/read',
    {
      schema: {
        tags: ['wallet'],
        summary: "Mark one of the user's messages read; idempotent (4004 unknown or another user's)",
        security,
        params: InboxMessageParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: OkEnvelope(MessageReadResult),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request) =>
      successEnvelope(
        await markMessageRead(
          ctx,
          walletUserOf(request).id,
          request.params.channelId,
          request.params.messageId,
        ),
      ),
  );

  r.post(
    '/v1/cards/:bindingId/mute',
    {
      schema: {
        tags: ['wallet'],
        summary: "Mute or unmute a card's messages; idempotent (4004 unknown, 4003 not yours)",
        security,
        params: CardParams,
        body: MuteBody,
        response: { 200: OkEnvelope(MuteResult), ...errorResponses('2101', '2102', '4001', '4003', '4004') },
      },
    },
    async (request) =>
      successEnvelope(
        await muteCard(ctx, walletUserOf(request).id, request.params.bindingId, request.body.muted),
      ),
  );
}
