import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.js';
import { randomToken } from '../crypto/tokens.js';
import { secureCookies } from '../wallet/wallet-session.js';

/**
 * The PKCE-like browser verifier of Binding Reserve (PROTOCOL.md §4.1; docs/protocol-notes.md): a
 * 256-bit value in an HttpOnly cookie scoped to /v1/bindings; each binding stores its SHA-256, and
 * completion requires the same browser to present it.
 */
export const RESERVATION_COOKIE = 'mycard_reservation';
const RESERVATION_COOKIE_SECONDS = 3600;
const VERIFIER_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The verifier this browser presents, if it is well-formed. */
export function readReservationVerifier(request: FastifyRequest): string | undefined {
  const value = request.cookies[RESERVATION_COOKIE];
  return value && VERIFIER_PATTERN.test(value) ? value : undefined;
}

/** Reuses the browser's verifier (so several open reservations coexist) or issues one; (re)sets the cookie. */
export function issueReservationVerifier(
  ctx: PlatformContext,
  request: FastifyRequest,
  reply: FastifyReply,
): string {
  const verifier = readReservationVerifier(request) ?? randomToken();
  reply.setCookie(RESERVATION_COOKIE, verifier, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/v1/bindings',
    secure: secureCookies(ctx),
    maxAge: RESERVATION_COOKIE_SECONDS,
  });
  return verifier;
}
