import type { Kysely } from 'kysely';
import { hashToken, randomToken } from '../crypto/tokens.js';
import type { Database } from '../store/schema.js';
import { createOperator, findOperatorByEmail, type Operator } from './operator-repository.js';

/** One-time sign-in links of new platform administrators live this long (seconds). */
export const SIGN_IN_LINK_TTL = 24 * 3600;

/**
 * Makes the operator with `email` a platform administrator (PROTOCOL.md §9, `mycard admin create`),
 * creating the account when it does not exist. A new account without a password gets an unusable
 * random one: it signs in with the one-time link or after a password is set on a TTY.
 */
export async function ensurePlatformAdmin(
  ctx: Parameters<typeof createOperator>[0],
  input: { email: string; displayName: string; password?: string },
): Promise<{ operator: Operator; created: boolean }> {
  const existing = await findOperatorByEmail(ctx.db, input.email);
  if (existing) {
    await ctx.db
      .updateTable('operators')
      .set({ platform_role: 'platform-admin' })
      .where('id', '=', existing.id)
      .execute();
    const { passwordHash: _, ...operator } = existing;
    return { operator: { ...operator, platformRole: 'platform-admin' }, created: false };
  }
  const operator = await createOperator(ctx, {
    email: input.email,
    displayName: input.displayName,
    password: input.password ?? randomToken(32),
    platformRole: 'platform-admin',
  });
  return { operator, created: true };
}

/** Issues a one-time sign-in link token for `operatorId`; only its SHA-256 is stored. */
export async function issueSignInLink(
  ctx: { db: Kysely<Database>; now: () => Date },
  operatorId: string,
  ttlSeconds = SIGN_IN_LINK_TTL,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await ctx.db
    .insertInto('operator_sign_in_links')
    .values({
      id_hash: hashToken(token),
      operator_id: operatorId,
      expires_at: expiresAt,
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  return { token, expiresAt };
}

/**
 * Uses a sign-in link once: a conditional update on the unused, unexpired row, so two parallel
 * uses cannot both succeed. Returns the operator id, or undefined (unknown, used or expired).
 */
export async function consumeSignInLink(
  ctx: { db: Kysely<Database>; now: () => Date },
  token: string,
): Promise<string | undefined> {
  const now = ctx.now().toISOString();
  const hash = hashToken(token);
  const result = await ctx.db
    .updateTable('operator_sign_in_links')
    .set({ used_at: now })
    .where('id_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  const row = await ctx.db
    .selectFrom('operator_sign_in_links')
    .select('operator_id')
    .where('id_hash', '=', hash)
    .executeTakeFirstOrThrow();
  return row.operator_id;
}

/** The console URL that signs in with a link token (the console posts it to /v1/console/session/link). */
export function signInLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/console/#/sign-in-link/${token}`;
}
