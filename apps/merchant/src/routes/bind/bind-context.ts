import type { BindingRequest } from '@mycard/merchant';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MerchantContext } from '../../context.js';
import { cookieOptions } from '../../web/request-context.js';

/** The verified binding request, kept for the member's way through log-in / sign-up. */
export interface BindContext {
  token: string;
  bindingId: string;
  subject: string;
  nonce: string;
  /** From the verified claims: the only place the binding pages ever redirect to. */
  callback: string;
  /** Token expiry, epoch milliseconds. */
  exp: number;
}

export const BIND_COOKIE = 'merchant_bind';
const COOKIE_PATH = '/mycard';

/**
 * Stores the context in a signed (HMAC-SHA256 with the session secret), HttpOnly, SameSite=Lax
 * cookie scoped to /mycard that dies with the binding token.
 */
export function saveBindContext(
  ctx: MerchantContext,
  reply: FastifyReply,
  token: string,
  req: BindingRequest,
): void {
  const value: BindContext = {
    token,
    bindingId: req.bindingId,
    subject: req.subject,
    nonce: req.nonce,
    callback: req.callback,
    exp: req.expiresAt.getTime(),
  };
  const maxAge = Math.max(1, Math.ceil((value.exp - ctx.now().getTime()) / 1000) + 60);
  reply.setCookie(
    BIND_COOKIE,
    Buffer.from(JSON.stringify(value)).toString('base64url'),
    cookieOptions(ctx, { path: COOKIE_PATH, signed: true, maxAge }),
  );
}

/** The context from the cookie, or undefined when there is none or its signature is wrong. */
export function loadBindContext(request: FastifyRequest): BindContext | undefined {
  const raw = request.cookies[BIND_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const value = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as BindContext;
    if (
      typeof value.token !== 'string' ||
      typeof value.bindingId !== 'string' ||
      !isSafeCallback(value.callback) ||
      typeof value.exp !== 'number'
    ) {
      return undefined;
    }
    return value;
  } catch {
    return undefined;
  }
}

export function clearBindContext(ctx: MerchantContext, reply: FastifyReply): void {
  reply.clearCookie(BIND_COOKIE, cookieOptions(ctx, { path: COOKIE_PATH }));
}

/**
 * True for a callback the binding pages may send a browser to: an absolute http(s) URL without
 * credentials. The claims are signed by the platform, so anything else (`javascript:`, `data:`, a
 * relative or protocol-relative `//evil` value) means a broken or hostile issuer: refuse it.
 */
export function isSafeCallback(callback: unknown): callback is string {
  if (typeof callback !== 'string' || callback.length > 2048) return false;
  if (!/^https?:\/\/[^/]/i.test(callback)) return false;
  try {
    const url = new URL(callback);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The claims' callback with `token`, `channelId` and `status` (PROTOCOL.md §4 step 6). */
export function callbackWithStatus(bind: BindContext, channelId: string, status: 'CANCEL' | 'FAIL'): string {
  const url = new URL(bind.callback);
  url.searchParams.set('token', bind.token);
  url.searchParams.set('channelId', channelId);
  url.searchParams.set('status', status);
  return url.href;
}

/** True when `url` (Apply's callbackUrl) points at the verified callback (same origin and path). */
export function isUnderCallback(bind: BindContext, url: string): boolean {
  try {
    const target = new URL(url);
    const callback = new URL(bind.callback);
    return target.origin === callback.origin && target.pathname === callback.pathname;
  } catch {
    return false;
  }
}
