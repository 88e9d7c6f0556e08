import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MerchantContext } from '../context.js';
import type { Member } from '../db/schema.js';
import { CSRF_COOKIE, csrfTokenFor, isValidCsrfToken, newCsrfCookieValue } from '../sessions/csrf.js';
import { createSession, destroySession, loadSession, type SessionKind } from '../sessions/session-store.js';
import { negotiateLocale, translator } from './i18n.js';
import type { PageContext } from './layout.js';

export const SESSION_COOKIES: Record<SessionKind, string> = {
  member: 'merchant_session',
  operator: 'merchant_pos',
};

/** HttpOnly, SameSite=Lax, Path=/, Secure when the site is served over https. */
export function cookieOptions(
  ctx: MerchantContext,
  extra: CookieSerializeOptions = {},
): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    ...extra,
  };
}

/** The browser's CSRF token, issuing the cookie it derives from on first use. */
export function csrfToken(ctx: MerchantContext, request: FastifyRequest, reply: FastifyReply): string {
  let value = request.cookies[CSRF_COOKIE];
  if (value?.length !== 43) {
    value = newCsrfCookieValue();
    request.cookies[CSRF_COOKIE] = value;
    reply.setCookie(CSRF_COOKIE, value, cookieOptions(ctx));
  }
  return csrfTokenFor(ctx.config.sessionSecret, value);
}

/**
 * Gives the browser a fresh CSRF cookie (and so a fresh token) at every sign-in and sign-out: the
 * token belongs to one session, and a token seen before sign-in is worthless after it.
 */
export function rotateCsrf(ctx: MerchantContext, request: FastifyRequest, reply: FastifyReply): void {
  const value = newCsrfCookieValue();
  request.cookies[CSRF_COOKIE] = value;
  reply.setCookie(CSRF_COOKIE, value, cookieOptions(ctx));
}

/**
 * Signs the browser in as member or operator `id`: a new session (a fresh id: no fixation) for the
 * configured lifetime of its kind, its cookie, and a fresh CSRF token.
 */
export async function startSession(
  ctx: MerchantContext,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: SessionKind,
  id: number,
  storeId: string | null = null,
): Promise<void> {
  const ttl = kind === 'member' ? ctx.config.memberSessionTtl : ctx.config.operatorSessionTtl;
  const value = await createSession(ctx.db, kind, id, ttl, ctx.now(), storeId);
  reply.setCookie(SESSION_COOKIES[kind], value, cookieOptions(ctx, { maxAge: ttl }));
  rotateCsrf(ctx, request, reply);
}

/** Signs the browser out of its session of `kind` (if any): session, cookie, and a fresh CSRF token. */
export async function endSession(
  ctx: MerchantContext,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: SessionKind,
): Promise<void> {
  await destroySession(ctx.db, request.cookies[SESSION_COOKIES[kind]]);
  reply.clearCookie(SESSION_COOKIES[kind], cookieOptions(ctx));
  rotateCsrf(ctx, request, reply);
}

/** True when the form field or header carries this browser's CSRF token. */
export function hasValidCsrf(ctx: MerchantContext, request: FastifyRequest, token: unknown): boolean {
  return isValidCsrfToken(ctx.config.sessionSecret, request.cookies[CSRF_COOKIE], token);
}

/** Everything a page template needs: language, translator, CSRF token, brand, signed-in name. */
export function pageContext(
  ctx: MerchantContext,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { path?: string; member?: Member } = {},
): PageContext {
  const locale = negotiateLocale(request, reply, ctx.config.defaultLocale);
  return {
    locale,
    t: translator(locale),
    brand: ctx.config.brand.name,
    csrf: csrfToken(ctx, request, reply),
    ...(options.path ? { path: options.path } : {}),
    ...(options.member ? { memberName: options.member.display_name } : {}),
  };
}

/** The signed-in member, or undefined. */
export async function currentMember(
  ctx: MerchantContext,
  request: FastifyRequest,
): Promise<Member | undefined> {
  const id = await loadSession(ctx.db, 'member', request.cookies[SESSION_COOKIES.member], ctx.now());
  if (id === undefined) return undefined;
  return ctx.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Sends an HTML page. */
export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** A 303 See Other to a path of this site (the only redirect helper that takes a variable). */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}
