import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.js';
import { hashToken, randomToken } from '../crypto/tokens.js';
import { fail } from '../http/errors.js';

/** The wallet session cookie (docs/protocol-notes.md, "Sessions and cookies"). */
export const SESSION_COOKIE = 'mycard_session';

/** The signed-in wallet user of a request. */
export interface WalletUser {
  id: string;
  displayName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the wallet session hook on wallet routes. */
    walletUser?: WalletUser;
  }
}

/** A session is re-extended (sliding expiry) at most once per this many seconds. */
const SLIDE_EVERY_SECONDS = 3600;
/** Cookie values are 43-char base64url tokens; anything else is not looked up. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** True when cookies must carry `Secure` (the platform is served over https). */
export function secureCookies(ctx: PlatformContext): boolean {
  return ctx.config.publicUrl.startsWith('https:');
}

/** Creates (or renames) the wallet user and opens a session for it; sets the cookie. */
export async function openWalletSession(
  ctx: PlatformContext,
  reply: FastifyReply,
  user: WalletUser,
): Promise<{ userId: string; displayName: string; expiresAt: string }> {
  const now = ctx.now();
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + ctx.config.walletSessionTtl * 1000).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('wallet_users')
      .set({ display_name: user.displayName })
      .where('id', '=', user.id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await trx
        .insertInto('wallet_users')
        .values({ id: user.id, display_name: user.displayName, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ display_name: user.displayName }))
        .execute();
    }
    await trx
      .insertInto('wallet_sessions')
      .values({
        id_hash: hashToken(token),
        user_id: user.id,
        expires_at: expiresAt,
        created_at: now.toISOString(),
      })
      .execute();
  });
  setSessionCookie(ctx, reply, token);
  return { userId: user.id, displayName: user.displayName, expiresAt };
}

function setSessionCookie(ctx: PlatformContext, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookies(ctx),
    maxAge: ctx.config.walletSessionTtl,
  });
}

/** Ends the request's session (if any) and clears the cookie. */
export async function closeWalletSession(ctx: PlatformContext, request: FastifyRequest, reply: FastifyReply) {
  const token = request.cookies[SESSION_COOKIE];
  if (token && TOKEN_PATTERN.test(token)) {
    await ctx.db.deleteFrom('wallet_sessions').where('id_hash', '=', hashToken(token)).execute();
  }
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(ctx),
  });
}

/**
 * The wallet authentication hook: resolves the session cookie to a user (4001 otherwise) and
 * slides the session's expiry forward, at most once an hour, so an active user stays signed in.
 */
export function createWalletAuth(ctx: PlatformContext) {
  return async function walletAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !TOKEN_PATTERN.test(token)) throw fail('4001', 'session_missing');
    const now = ctx.now();
    const idHash = hashToken(token);
    const row = await ctx.db
      .selectFrom('wallet_sessions')
      .innerJoin('wallet_users', 'wallet_users.id', 'wallet_sessions.user_id')
      .select(['wallet_sessions.user_id', 'wallet_sessions.expires_at', 'wallet_users.display_name'])
      .where('wallet_sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row || row.expires_at <= now.toISOString()) throw fail('4001', 'session_invalid');
    request.walletUser = { id: row.user_id, displayName: row.display_name };
    const ttlMs = ctx.config.walletSessionTtl * 1000;
    if (Date.parse(row.expires_at) - now.getTime() < ttlMs - SLIDE_EVERY_SECONDS * 1000) {
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      await ctx.db
        .updateTable('wallet_sessions')
        .set({ expires_at: expiresAt })
        .where('id_hash', '=', idHash)
        .execute();
      setSessionCookie(ctx, reply, token);
    }
  };
}

/** The signed-in user of a wallet route (the auth hook guarantees one). */
export function walletUserOf(request: FastifyRequest): WalletUser {
  if (!request.walletUser) throw fail('4001', 'session_missing');
  return request.walletUser;
}
