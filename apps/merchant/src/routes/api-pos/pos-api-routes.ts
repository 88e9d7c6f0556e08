import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MerchantContext } from '../../context.js';
import { MerchantError } from '../../errors.js';
import { type AccrueInput, accrue, type LedgerResult } from '../../ledger/accrue.js';
import { recentSales } from '../../ledger/recent-sales.js';
import { type RedeemInput, redeem } from '../../ledger/redeem.js';
import { type ReverseInput, reverse } from '../../ledger/reverse.js';
import { authenticateOperator } from '../../members/operators.js';
import { CSRF_HEADER } from '../../sessions/csrf.js';
import {
  cachedOperatorSession,
  hashId,
  loadOperatorSession,
  loadSession,
  loadSessionStore,
} from '../../sessions/session-store.js';
import type { Store } from '../../stores/stores.js';
import type { LoginThrottle } from '../../web/login-throttle.js';
import { csrfToken, hasValidCsrf, SESSION_COOKIES, startSession } from '../../web/request-context.js';

// Loose bounds here; the exact rule (1–64 of A–Z a–z 0–9 . _ : -) is checkOrderId's, so a till gets
// `order_id_invalid` for an empty or 65-character id rather than a generic schema error.
const ORDER_ID = { type: 'string', maxLength: 256 } as const;
const CODE = { type: 'string', minLength: 1, maxLength: 256 } as const;
// Amounts and points are typed `number` here so that 0, -5, 1.5 and 1e30 reach the flow and get
// their own error codes (amount_invalid, amount_too_large…) instead of a generic schema error.
const NUMBER = { type: 'number' } as const;

const schemas = {
  accrue: {
    type: 'object',
    required: ['code', 'amount', 'currency', 'orderId'],
    properties: { code: CODE, amount: NUMBER, currency: { type: 'string', maxLength: 3 }, orderId: ORDER_ID },
    additionalProperties: false,
  },
  redeem: {
    type: 'object',
    required: ['code', 'points', 'orderId'],
    properties: { code: CODE, points: NUMBER, orderId: ORDER_ID },
    additionalProperties: false,
  },
  reverse: {
    type: 'object',
    required: ['orderId'],
    properties: { orderId: ORDER_ID, amount: NUMBER, refundId: ORDER_ID },
    additionalProperties: false,
  },
  refund: {
    type: 'object',
    required: ['orderId', 'refundId'],
    properties: { orderId: ORDER_ID, amount: NUMBER, refundId: ORDER_ID },
    additionalProperties: false,
  },
  session: {
    type: 'object',
    required: ['username', 'password'],
    properties: {
      username: { type: 'string', maxLength: 64 },
      password: { type: 'string', maxLength: 256 },
      storeId: { type: 'string', maxLength: 64 },
    },
    additionalProperties: false,
  },
} as const;

declare module 'fastify' {
  interface FastifyRequest {
    operatorId?: number;
    /** The store the till signed in to, at a group's shop (PROTOCOL.md §8). */
    store?: Store;
    /** The till's session (cookie hash), checked again in the sale's own transaction. */
    sessionHash?: string;
  }
}

/**
 * The POS JSON API. Every call needs an operator session (cookie `merchant_pos`, from the till
 * login or `POST /api/pos/session`), `Content-Type: application/json`, and the CSRF token in
 * `X-CSRF-Token`. Errors: `{"error": {"code", "message"}}` (src/errors.ts). A replayed request
 * answers the original result with `Idempotent-Replayed: true`.
 */
export function registerPosApiRoutes(
  app: FastifyInstance,
  ctx: MerchantContext,
  throttle: LoginThrottle,
): void {
  app.register(async (api) => {
    // Before the body is parsed: only JSON (a cross-site form cannot send it without CORS).
    api.addHook('onRequest', async (request) => {
      if (request.method !== 'POST') return;
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new MerchantError('unsupported_media_type');
      }
    });
    // Before the body is validated: who calls comes first (401/403 before 400).
    api.addHook('preValidation', async (request) => {
      if (request.method !== 'POST' || request.url === '/api/pos/session') return;
      // A sale checks the session again in its own transaction: it may take a recently checked one.
      const sale = request.routeOptions.url === '/api/pos/accrue';
      const session = await requireOperator(ctx, request, sale);
      request.operatorId = session.operatorId;
      if (sale) request.sessionHash = hashId(request.cookies[SESSION_COOKIES.operator] ?? '');
      // The store of the till's session, if the shop has stores (a store since removed: none).
      const store = ctx.stores?.length ? ctx.stores.find((s) => s.storeId === session.storeId) : undefined;
      if (store) request.store = store;
    });

    api.post<{ Body: { username: string; password: string; storeId?: string } }>(
      '/api/pos/session',
      { schema: { body: schemas.session } },
      async (request, reply) => {
        // A group's shop: every till signs in to one of its stores (and only a shop with stores).
        const store = chooseStore(ctx, request.body.storeId);
        const key = `pos:${request.body.username}`;
        if (!throttle.begin(key, request.ip, ctx.now().getTime())) throw new MerchantError('rate_limited');
        const operator = await authenticateOperator(
          ctx.db,
          request.body.username,
          request.body.password,
          ctx.config.passwordCost,
        );
        if (!operator) throw new MerchantError('login_failed');
        throttle.succeeded(key, request.ip);
        await startSession(ctx, request, reply, 'operator', operator.id, store?.storeId ?? null);
        return {
          operator: { username: operator.username, displayName: operator.display_name },
          ...(store ? { store: { storeId: store.storeId, name: store.name } } : {}),
          csrfToken: csrfToken(ctx, request, reply),
        };
      },
    );

    const send = (reply: FastifyReply, outcome: LedgerResult, status: number) => {
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(status).send(outcome.result);
    };

    api.post<{ Body: AccrueInput }>(
      '/api/pos/accrue',
      { schema: { body: schemas.accrue } },
      async (request, reply) =>
        send(
          reply,
          await accrue(ctx, request.body, request.operatorId ?? null, request.store, request.sessionHash),
          201,
        ),
    );
    api.post<{ Body: RedeemInput }>(
      '/api/pos/redeem',
      { schema: { body: schemas.redeem } },
      async (request, reply) =>
        send(reply, await redeem(ctx, request.body, request.operatorId ?? null, request.store), 201),
    );
    // A refund is its own operation (issue 11 item 3): it names the sale by its order id and has
    // its own refund id, so a sale takes several partial refunds until nothing is left of it.
    api.post<{ Body: ReverseInput & { refundId: string } }>(
      '/api/pos/refund',
      { schema: { body: schemas.refund } },
      async (request, reply) =>
        send(reply, await reverse(ctx, request.body, request.operatorId ?? null, request.store), 201),
    );
    api.get('/api/pos/sales', async (request) => {
      const operatorId = await loadSession(
        ctx.db,
        'operator',
        request.cookies[SESSION_COOKIES.operator],
        ctx.now(),
      );
      if (operatorId === undefined) throw new MerchantError('unauthorized');
      return { sales: await recentSales(ctx, operatorId) };
    });
    api.post<{ Body: ReverseInput }>(
      '/api/pos/reverse',
      { schema: { body: schemas.reverse } },
      async (request, reply) =>
        send(reply, await reverse(ctx, request.body, request.operatorId ?? null, request.store), 201),
    );
  });
}

async function requireOperator(
  ctx: MerchantContext,
  request: FastifyRequest,
  recent: boolean,
): Promise<{ operatorId: number; storeId: string | null }> {
  const cookie = request.cookies[SESSION_COOKIES.operator];
  const session = recent
    ? await cachedOperatorSession(ctx.db, cookie, ctx.now())
    : await loadOperatorSession(ctx.db, cookie, ctx.now());
  if (session === undefined) throw new MerchantError('unauthorized');
  if (!hasValidCsrf(ctx, request, request.headers[CSRF_HEADER])) throw new MerchantError('csrf_failed');
  return session;
}

/**
 * The store a till signs in to: at a group's shop one of its stores is required, elsewhere none may
 * be named (`store_invalid` otherwise).
 */
export function chooseStore(ctx: MerchantContext, storeId: string | undefined): Store | undefined {
  const stores = ctx.stores ?? [];
  if (stores.length === 0) {
    if (storeId !== undefined && storeId !== '') throw new MerchantError('store_invalid');
    return undefined;
  }
  const store = stores.find((s) => s.storeId === storeId);
  if (!store) throw new MerchantError('store_invalid');
  return store;
}

/** The store of the till's session, if the shop has stores (a store since removed: none). */
export async function sessionStore(
  ctx: MerchantContext,
  cookie: string | undefined,
): Promise<Store | undefined> {
  if (!ctx.stores?.length) return undefined;
  const storeId = await loadSessionStore(ctx.db, cookie, ctx.now());
  return ctx.stores.find((s) => s.storeId === storeId);
}
