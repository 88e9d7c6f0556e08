import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF protection by the signed double-submit pattern (OWASP): the browser holds a random HttpOnly
 * SameSite=Lax cookie; every form and POS API call carries HMAC(sessionSecret, cookie) in a field
 * or header, which another site can neither read nor compute. It works before sign-in (login and
 * sign-up forms are protected too) and needs no server state.
 */
export const CSRF_COOKIE = 'merchant_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function newCsrfCookieValue(): string {
  return randomBytes(32).toString('base64url');
}

// The HMAC key made once per secret (every POS call checks a token): the last one used is kept.
let lastKey: { secret: string; key: KeyObject } | undefined;

export function csrfTokenFor(secret: string, cookieValue: string): string {
  if (lastKey?.secret !== secret) lastKey = { secret, key: createSecretKey(Buffer.from(secret)) };
  return createHmac('sha256', lastKey.key).update(`csrf:${cookieValue}`).digest('base64url');
}

/** True when `token` is the token of `cookieValue` (constant-time). */
export function isValidCsrfToken(secret: string, cookieValue: string | undefined, token: unknown): boolean {
  if (!cookieValue || typeof token !== 'string' || token.length !== 43) return false;
  return timingSafeEqual(Buffer.from(csrfTokenFor(secret, cookieValue)), Buffer.from(token));
}
