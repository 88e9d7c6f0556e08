import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { OkEnvelope, WalletSession } from '@mycard/wire';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { createLineIdTokenVerifier } from '../../wallet/verify-line-id-token.js';
import { closeWalletSession, openWalletSession, walletUserOf } from '../../wallet/wallet-session.js';

const tags = ['wallet session'];

/** Session creation (dev and LINE identity), rate-limited per client IP; no session required. */
export function registerSessionCreation(app: FastifyInstance, ctx: PlatformContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // Per client address (rightmost untrusted hop behind MYCARD_TRUSTED_PROXIES), counted before the
  // identity is checked; a sign-in limit, so it fails closed while the shared store is down.
  const limiter = ctx.limits.limiter({
    name: 'wallet-session-ip',
    limit: ctx.config.rateLimits.sessionPerMinute,
    windowMs: 60_000,
    onOutage: 'closed',
  });
  const limitPerIp = async (request: FastifyRequest, reply: FastifyReply) => {
    const { allowed, retryAfter } = await limiter.hit(request.ip);
    if (!allowed) {
      reply.header('retry-after', String(retryAfter));
      throw fail('4029', 'session_rate_limited');
    }
  };
  const identity = ctx.config.identity;
  const verifyLine = identity === 'line' ? createLineIdTokenVerifier(ctx.config.line, ctx.now) : undefined;

  r.post(
    '/v1/session/dev',
    {
      onRequest: limitPerIp,
      schema: {
        tags,
        summary: 'Sign in as a named demo user (MYCARD_IDENTITY=dev only; 4004 otherwise)',
        body: Type.Object(
          {
            userId: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
            displayName: Type.String({ minLength: 1, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(WalletSession),
          ...errorResponses('2101', '2102', '4003', '4004', '4029'),
        },
      },
    },
    async (request, reply) => {
      if (identity !== 'dev') throw fail('4004', 'dev_identity_disabled');
      const user = { id: `dev:${request.body.userId}`, displayName: request.body.displayName };
      await openWalletSession(ctx, reply, user);
      return successEnvelope({ userId: user.id, displayName: user.displayName, identity });
    },
  );

  r.post(
    '/v1/session/line',
    {
      onRequest: limitPerIp,
      schema: {
        tags,
        summary: 'Sign in with a LIFF ID token (MYCARD_IDENTITY=line only; 4004 otherwise)',
        body: Type.Object(
          { idToken: Type.String({ minLength: 1, maxLength: 8192 }) },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(WalletSession),
          ...errorResponses('2101', '2102', '4001', '4003', '4004', '4029'),
        },
      },
    },
    async (request, reply) => {
      if (!verifyLine) throw fail('4004', 'line_identity_disabled');
      const user = await verifyLine(request.body.idToken);
      await openWalletSession(ctx, reply, user);
      return successEnvelope({ userId: user.id, displayName: user.displayName, identity: 'line' as const });
    },
  );

  r.delete(
    '/v1/session',
    {
      schema: {
        tags,
        summary: 'Sign out (idempotent)',
        response: { 200: OkEnvelope(Type.Object({})), ...errorResponses('2101', '2102', '4003') },
      },
    },
    async (request, reply) => {
      await closeWalletSession(ctx, request, reply);
      return successEnvelope({});
    },
  );
}

/** `GET /v1/session`: who am I (4001 without a session). Registered behind the wallet auth hook. */
export function registerSessionInfo(app: FastifyInstance, ctx: PlatformContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v1/session',
    {
      schema: {
        tags,
        summary: 'The signed-in wallet user',
        security: [{ walletSession: [] }],
        response: { 200: OkEnvelope(WalletSession), ...errorResponses('4001') },
      },
    },
    async (request) => {
      const user = walletUserOf(request);
      return successEnvelope({
        userId: user.id,
        displayName: user.displayName,
        identity: ctx.config.identity,
      });
    },
  );
}
