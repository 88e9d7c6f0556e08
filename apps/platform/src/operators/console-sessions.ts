import type { Kysely } from 'kysely';
import { hashToken, randomToken } from '../crypto/tokens.js';
import type { Database } from '../store/schema.js';
import { OPERATOR_COLUMNS, type Operator, toOperator } from './operator-repository.js';

/** The console session cookie (docs/protocol-notes.md, "Sessions and cookies"). */
export const CONSOLE_COOKIE = 'mycard_console';

/**
 * Opens a console session: a 256-bit random id goes to the browser, only its SHA-256 is stored.
 * Fixed lifetime (`consoleSessionTtl`), not sliding: operators sign in again every 12 hours.
 */
export async function createConsoleSession(
  ctx: { db: Kysely<Database>; now: () => Date },
  operatorId: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  // Expired sessions of this operator are swept on each sign-in, so the table does not grow.
  await ctx.db
    .deleteFrom('operator_sessions')
    .where('operator_id', '=', operatorId)
    .where('expires_at', '<=', now.toISOString())
    .execute();
  await ctx.db
    .insertInto('operator_sessions')
    .values({
      id_hash: hashToken(token),
      operator_id: operatorId,
      expires_at: expiresAt,
      created_at: now.toISOString(),
    })
    .execute();
  return { token, expiresAt };
}

/** The operator of a live session, or undefined. */
export async function resolveConsoleSession(
  ctx: { db: Kysely<Database>; now: () => Date },
  token: string,
): Promise<Operator | undefined> {
  const row = await ctx.db
    .selectFrom('operator_sessions')
    .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
    .select(OPERATOR_COLUMNS)
    .where('operator_sessions.id_hash', '=', hashToken(token))
    .where('operator_sessions.expires_at', '>', ctx.now().toISOString())
    .executeTakeFirst();
  return row ? toOperator(row) : undefined;
}

export async function deleteConsoleSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('operator_sessions').where('id_hash', '=', hashToken(token)).execute();
}
