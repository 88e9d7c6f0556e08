import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  BindingId,
  Card,
  ChannelId,
  DetailPageLink,
  OkEnvelope,
  OneTimeKeyInfo,
  OneTimeKeyStatus,
  ProgramListing,
} from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { getProgramListing } from '../../flows/cards/get-program.js';
import { issueDetailLink } from '../../flows/cards/issue-detail-link.js';
import { listPrograms } from '../../flows/cards/list-programs.js';
import { deleteCard, getCard, listCards } from '../../flows/cards/wallet-cards.js';
import { issueOneTimeKey } from '../../flows/one-time-keys/issue-one-time-key.js';
import { oneTimeKeyStatus } from '../../flows/one-time-keys/one-time-key-status.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { walletUserOf } from '../../wallet/wallet-session.js';

const security = [{ walletSession: [] }];
const CardParams = Type.Object({ bindingId: BindingId }, { additionalProperties: false });
const ProgramParams = Type.Object({ channelId: ChannelId }, { additionalProperties: false });

/** Programs, cards and My Code (PROTOCOL.md §5). Behind wallet auth. */
export function registerCardRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/v1/programs',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Programs the user can add (LIVE, and DRAFT ones the user tests), by name',
        security,
        querystring: Type.Object(
          { query: Type.Optional(Type.String({ maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(Type.Object({ programs: Type.Array(ProgramListing) })),
          ...errorResponses('2101', '4001'),
        },
      },
    },
    async (request) => {
      const programs = await listPrograms(ctx, walletUserOf(request).id, request.query.query ?? '');
      return successEnvelope({ programs });
    },
  );

  r.get(
    '/v1/programs/:channelId',
    {
      schema: {
        tags: ['wallet'],
        summary: 'One program the user can add, as in GET /v1/programs (4004 unknown or not available)',
        security,
        params: ProgramParams,
        response: {
          200: OkEnvelope(Type.Object({ program: ProgramListing })),
          ...errorResponses('2101', '4001', '4004'),
        },
      },
    },
    async (request) => {
      const program = await getProgramListing(ctx, walletUserOf(request).id, request.params.channelId);
      return successEnvelope({ program });
    },
  );

  r.get(
    '/v1/cards',
    {
      config: { etag: true },
      schema: {
        tags: ['wallet'],
        summary: "The user's cards (ETag / If-None-Match → 304 while unchanged, for the live list)",
        security,
        response: { 200: OkEnvelope(Type.Object({ cards: Type.Array(Card) })), ...errorResponses('4001') },
      },
    },
    async (request) => successEnvelope({ cards: await listCards(ctx, walletUserOf(request).id) }),
  );

  r.get(
    '/v1/cards/:bindingId',
    {
      config: { etag: true },
      schema: {
        tags: ['wallet'],
        summary: 'One card of the user (4004 unknown, 4003 not yours); ETag / If-None-Match → 304',
        security,
        params: CardParams,
        response: {
          200: OkEnvelope(Type.Object({ card: Card })),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const card = await getCard(ctx, walletUserOf(request).id, request.params.bindingId);
      return successEnvelope({ card });
    },
  );

  r.delete(
    '/v1/cards/:bindingId',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Remove a card (UNBOUND; the merchant gets card.unbound); idempotent',
        security,
        params: CardParams,
        response: {
          200: OkEnvelope(Type.Object({ card: Card })),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const card = await deleteCard(ctx, walletUserOf(request).id, request.params.bindingId);
      return successEnvelope({ card });
    },
  );

  r.post(
    '/v1/cards/:bindingId/detail-link',
    {
      schema: {
        tags: ['wallet'],
        summary:
          "The program's custom detail page URL with a signed card context (valid 300 s); 3004 for a template detail",
        security,
        params: CardParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: OkEnvelope(DetailPageLink),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request) =>
      successEnvelope(await issueDetailLink(ctx, walletUserOf(request).id, request.params.bindingId)),
  );

  r.post(
    '/v1/mycode',
    {
      schema: {
        tags: ['wallet'],
        summary: 'A new My Code: an 18-digit single-use key valid 300 s',
        security,
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: OkEnvelope(OneTimeKeyInfo),
          ...errorResponses('2101', '2102', '4001', '4003'),
        },
      },
    },
    async (request) => successEnvelope(await issueOneTimeKey(ctx, walletUserOf(request).id)),
  );

  r.post(
    '/v1/mycode/status',
    {
      schema: {
        tags: ['wallet'],
        summary: "What became of the user's own My Code: live, used (a shop resolved it) or expired",
        security,
        body: Type.Object(
          { oneTimeKey: Type.String({ pattern: '^[0-9]{18}$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(OneTimeKeyStatus),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request) =>
      successEnvelope(await oneTimeKeyStatus(ctx, walletUserOf(request).id, request.body.oneTimeKey)),
  );
}
