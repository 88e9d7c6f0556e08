import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  ConsoleSession,
  EmptyInfo,
  InvitationToken,
  OkEnvelope,
  Operator as WireOperator,
} from '@mycard/wire';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import {
  CONSOLE_COOKIE,
  createConsoleSession,
  deleteConsoleSession,
} from '../../operators/console-sessions.js';
import {
  createOperator,
  findOperatorByEmail,
  getOperator,
  normalizeEmail,
  type Operator,
  OperatorExistsError,
} from '../../operators/operator-repository.js';
import { verifyPassword } from '../../operators/password.js';
import { consumeSignInLink } from '../../operators/platform-admins.js';
import { invitationOpensSignup } from '../../organizations/invitations.js';
import { consoleCookieOptions, operatorOf } from './console-auth.js';

export const EmailSchema = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
export const PasswordSchema = Type.String({ minLength: 10, maxLength: 256 });
export const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 64 });

const tags = ['console'];
const security = [{ consoleSession: [] }];

/** Sign-up, sign-in, sign-out and "who am I" of the console (docs/console-api.md). */
export function registerSessionRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // Sign-in attempts per e-mail (protocol-notes: 10 / 15 minutes), counted *before* the password is
  // checked, atomically in the shared store: parallel guesses cannot all be checked before the
  // first failure is counted (issue 9.1). A success clears the count. Sign-in limits fail closed
  // when the store is down: an outage never opens the door to guessing.
  const attempts = ctx.limits.limiter({
    name: 'console-login',
    limit: ctx.config.rateLimits.consoleLoginFailures,
    windowMs: 15 * 60 * 1000,
    onOutage: 'closed',
  });
  // Sign-ups and sign-ins per client address (the session-creation limit of protocol-notes): slows
  // credential stuffing across many e-mails and mass account creation. The address is the TCP
  // peer's, or the rightmost untrusted X-Forwarded-For hop behind MYCARD_TRUSTED_PROXIES.
  const perIp = ctx.limits.limiter({
    name: 'console-session-ip',
    limit: ctx.config.rateLimits.sessionPerMinute,
    windowMs: 60_000,
    onOutage: 'closed',
  });
  const limitIp = async (request: FastifyRequest, reply: FastifyReply) => {
    const { allowed, retryAfter } = await perIp.hit(request.ip);
    if (!allowed) {
      reply.header('retry-after', String(retryAfter));
      throw fail('4029', 'console_session_rate_limited');
    }
  };
  const signupOpen = ctx.config.mode === 'development' || ctx.config.consoleSignup;

  const startSession = async (operator: Operator, reply: FastifyReply) => {
    const ttl = ctx.config.consoleSessionTtl;
    const session = await createConsoleSession(ctx, operator.id, ttl);
    reply.setCookie(CONSOLE_COOKIE, session.token, consoleCookieOptions(ctx, ttl));
    return session;
  };

  r.post(
    '/signup',
    {
      schema: {
        tags,
        summary:
          'Create an operator account (development mode, when consoleSignup is enabled, or with a pending invitation for this e-mail)',
        body: Type.Object(
          {
            email: EmailSchema,
            password: PasswordSchema,
            displayName: DisplayNameSchema,
            /** An invitation link's token: opens a closed sign-up for the address it was made for. */
            invitation: Type.Optional(InvitationToken),
          },
          { additionalProperties: false },
        ),
        response: {
          201: OkEnvelope(ConsoleSession),
          ...errorResponses('2101', '2102', '4003', '4004', '4029'),
        },
      },
    },
    async (request, reply) => {
      await limitIp(request, reply);
      const { invitation, ...account } = request.body;
      // Closed sign-up opens only for the address a pending invitation was made for (one answer,
      // 4004, whatever is wrong with the invitation: no probing of tokens or addresses).
      if (!signupOpen && !(invitation && (await invitationOpensSignup(ctx, invitation, account.email))))
        throw fail('4004', 'signup_closed');
      let operator: Operator;
      try {
        operator = await createOperator(ctx, account);
      } catch (err) {
        if (err instanceof OperatorExistsError) throw fail('4003', 'email_taken');
        throw err;
      }
      const session = await startSession(operator, reply);
      return reply.code(201).send(successEnvelope({ operator, expiresAt: session.expiresAt }));
    },
  );

  r.post(
    '/session',
    {
      schema: {
        tags,
        summary: 'Sign in: sets the mycard_console cookie',
        body: Type.Object(
          { email: EmailSchema, password: Type.String({ maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(ConsoleSession),
          ...errorResponses('2101', '2102', '4001', '4003', '4029'),
        },
      },
    },
    async (request, reply) => {
      await limitIp(request, reply);
      const key = normalizeEmail(request.body.email);
      const attempt = await attempts.hit(key);
      if (!attempt.allowed) {
        reply.header('retry-after', String(attempt.retryAfter));
        throw fail('4029', 'console_login_rate_limited');
      }
      const found = await findOperatorByEmail(ctx.db, key);
      // verifyPassword spends the same work for an unknown e-mail: no account enumeration by timing.
      if (
        !(await verifyPassword(request.body.password, found?.passwordHash, ctx.config.passwordCost)) ||
        !found
      ) {
        throw fail('4001', 'console_credentials');
      }
      await attempts.reset(key);
      const { passwordHash: _, ...operator } = found;
      const session = await startSession(operator, reply);
      return successEnvelope({ operator, expiresAt: session.expiresAt });
    },
  );

  r.post(
    '/session/link',
    {
      schema: {
        tags,
        summary:
          'Sign in with a one-time sign-in link (from `mycard admin create`): sets the mycard_console cookie',
        body: Type.Object(
          { token: Type.String({ minLength: 20, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(ConsoleSession),
          ...errorResponses('2101', '4001', '4003', '4029'),
        },
      },
    },
    async (request, reply) => {
      limitIp(request, reply);
      // Single use: a conditional update, so a replayed or parallel second use is 4001.
      const operatorId = await consumeSignInLink(ctx, request.body.token);
      const operator = operatorId ? await getOperator(ctx.db, operatorId) : undefined;
      if (!operator) throw fail('4001', 'sign_in_link');
      const session = await startSession(operator, reply);
      return successEnvelope({ operator, expiresAt: session.expiresAt });
    },
  );

  r.delete(
    '/session',
    {
      schema: {
        tags,
        summary: 'Sign out (idempotent)',
        response: { 200: OkEnvelope(EmptyInfo), ...errorResponses('2101', '2102', '4003') },
      },
    },
    async (request, reply) => {
      const token = request.cookies[CONSOLE_COOKIE];
      if (token) await deleteConsoleSession(ctx.db, token);
      reply.clearCookie(CONSOLE_COOKIE, consoleCookieOptions(ctx));
      return successEnvelope({});
    },
  );
}

/** `GET /v1/console/me`, on the authenticated scope. */
export function registerMeRoute(authed: FastifyInstance): void {
  authed.withTypeProvider<TypeBoxTypeProvider>().get(
    '/me',
    {
      schema: {
        tags,
        security,
        summary: 'The signed-in operator',
        response: { 200: OkEnvelope(Type.Object({ operator: WireOperator })), ...errorResponses('4001') },
      },
    },
    async (request) => successEnvelope({ operator: operatorOf(request) }),
  );
}
