import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MerchantContext } from '../../context.js';
import type { Member } from '../../db/schema.js';
import { authenticateMember } from '../../members/authenticate-member.js';
import { createMember, LoginTakenError } from '../../members/create-member.js';
import { parseLoginId } from '../../members/login-id.js';
import { isWeakPassword } from '../../members/password.js';
import { destroySession } from '../../sessions/session-store.js';
import type { FormFlash } from '../../web/form-flash.js';
import type { LoginThrottle } from '../../web/login-throttle.js';
import type { MessageKey } from '../../web/messages/en.js';
import { hasValidCsrf, SESSION_COOKIES, startSession } from '../../web/request-context.js';

export type AuthOutcome =
  | { ok: true; member: Member }
  | { ok: false; status: number; error: MessageKey; login?: string; displayName?: string };

export interface AuthForm {
  _csrf?: unknown;
  login?: unknown;
  password?: unknown;
  displayName?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The body schema of the member sign-up and log-in forms (and of the CSRF-only forms beside them). */
export const AUTH_FORM_BODY = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 100 },
    login: { type: 'string', maxLength: 254 },
    password: { type: 'string', maxLength: 256 },
    displayName: { type: 'string', maxLength: 200 },
  },
  additionalProperties: false,
} as const;

/** What a refused form hands to the page it redirects to: the error and what was typed. */
export function flashOf(outcome: AuthOutcome, form: 'login' | 'signup'): FormFlash {
  if (outcome.ok) throw new TypeError('not a refusal');
  return {
    error: outcome.error,
    form,
    ...(outcome.login !== undefined ? { login: outcome.login } : {}),
    ...(outcome.displayName !== undefined ? { displayName: outcome.displayName } : {}),
  };
}

/** Signs the member in, ending the browser's earlier member session. */
async function signIn(ctx: MerchantContext, request: FastifyRequest, reply: FastifyReply, member: Member) {
  await destroySession(ctx.db, request.cookies[SESSION_COOKIES.member]);
  await startSession(ctx, request, reply, 'member', member.id);
}

/** Sign-up from a form: check → create the member → sign in. */
export async function signUpFromForm(
  ctx: MerchantContext,
  request: FastifyRequest,
  reply: FastifyReply,
  form: AuthForm,
  throttle: LoginThrottle,
): Promise<AuthOutcome> {
  const login = str(form.login);
  const displayName = str(form.displayName).trim();
  const echo = { login, displayName };
  if (!hasValidCsrf(ctx, request, form._csrf)) return { ok: false, status: 403, error: 'errCsrf', ...echo };
  if (displayName.length < 1 || displayName.length > 40)
    return { ok: false, status: 400, error: 'errName', ...echo };
  const loginId = parseLoginId(login);
  if (!loginId) return { ok: false, status: 400, error: 'errLoginId', ...echo };
  const password = str(form.password);
  if (password.length < 8 || password.length > 256)
    return { ok: false, status: 400, error: 'errPassword', ...echo };
  if (isWeakPassword(password, loginId.value, displayName))
    return { ok: false, status: 400, error: 'errPasswordWeak', ...echo };
  // "Already registered" tells whether a login exists: bounded per address so nobody lists members.
  if (!throttle.signUp(request.ip, ctx.now().getTime()))
    return { ok: false, status: 429, error: 'errTooMany', ...echo };
  try {
    const member = await createMember(
      ctx.db,
      { login: loginId, password, displayName },
      {
        codeType: ctx.config.codeType,
        codePrefix: ctx.config.codePrefix,
        now: ctx.now(),
        passwordCost: ctx.config.passwordCost,
      },
    );
    await signIn(ctx, request, reply, member);
    return { ok: true, member };
  } catch (err) {
    if (err instanceof LoginTakenError) return { ok: false, status: 409, error: 'errTaken', ...echo };
    throw err;
  }
}

/** Log-in from a form: check → throttle → verify the password → sign in. */
export async function logInFromForm(
  ctx: MerchantContext,
  request: FastifyRequest,
  reply: FastifyReply,
  form: AuthForm,
  throttle: LoginThrottle,
): Promise<AuthOutcome> {
  const login = str(form.login);
  if (!hasValidCsrf(ctx, request, form._csrf)) return { ok: false, status: 403, error: 'errCsrf', login };
  const loginId = parseLoginId(login);
  if (!loginId) return { ok: false, status: 401, error: 'errLogin', login };
  const key = `${loginId.kind}:${loginId.value}`;
  // Counted before the password check, so parallel guesses cannot all slip past the limit.
  if (!throttle.begin(key, request.ip, ctx.now().getTime()))
    return { ok: false, status: 429, error: 'errTooMany', login };
  const member = await authenticateMember(ctx.db, loginId, str(form.password), ctx.config.passwordCost);
  if (!member) return { ok: false, status: 401, error: 'errLogin', login };
  throttle.succeeded(key, request.ip);
  await signIn(ctx, request, reply, member);
  return { ok: true, member };
}
