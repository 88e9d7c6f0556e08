import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compiledOnce, slot } from '../db/compiled-query.js';
import type { Database } from '../db/schema.js';

export type SessionKind = 'member' | 'operator';

function hashId(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * Starts a server-side session and returns the cookie value (256-bit random). Only its SHA-256 is
 * stored, so a copy of the database does not hand out live sessions. Expired rows are swept here.
 */
export async function createSession(
  db: Kysely<Database>,
  kind: SessionKind,
  subjectId: number,
  ttlSeconds: number,
  now: Date,
  /** A till's store (a group's shop, PROTOCOL.md §8). */
  storeId: string | null = null,
): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  await db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashId(value),
      kind,
      subject_id: subjectId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      store_id: storeId,
    })
    .execute();
  return value;
}

/** The subject (member or operator id) of a live session of this kind, or undefined. */
export async function loadSession(
  db: Kysely<Database>,
  kind: SessionKind,
  value: string | undefined,
  now: Date,
): Promise<number | undefined> {
  if (value?.length !== 43) return undefined;
  const row = await db
    .selectFrom('sessions')
    .select(['subject_id', 'kind', 'expires_at'])
    .where('id_hash', '=', hashId(value))
    .executeTakeFirst();
  if (!row || row.kind !== kind || row.expires_at <= now.toISOString()) return undefined;
  return row.subject_id;
}

const sessionQuery = compiledOnce<
  { subject_id: number; kind: SessionKind; expires_at: string; store_id: string | null },
  [string]
>((db) =>
  db
    .selectFrom('sessions')
    .select(['subject_id', 'kind', 'expires_at', 'store_id'])
    .where('id_hash', '=', slot<string>(0)),
);

/**
 * A live operator session (the till's every POS call): the operator and the store it signed in to
 * (a group's shop; null otherwise), in one query built once; undefined when there is none.
 */
export async function loadOperatorSession(
  db: Kysely<Database>,
  value: string | undefined,
  now: Date,
): Promise<{ operatorId: number; storeId: string | null } | undefined> {
  if (value?.length !== 43) return undefined;
  const row = (await db.executeQuery(sessionQuery(db, [hashId(value)]))).rows[0];
  if (row?.kind !== 'operator' || row.expires_at <= now.toISOString()) return undefined;
  return { operatorId: row.subject_id, storeId: row.store_id };
}

/** The store a live operator session signed in to (a group's shop), or null. */
export async function loadSessionStore(
  db: Kysely<Database>,
  value: string | undefined,
  now: Date,
): Promise<string | null> {
  if (value?.length !== 43) return null;
  const row = await db
    .selectFrom('sessions')
    .select(['store_id', 'kind', 'expires_at'])
    .where('id_hash', '=', hashId(value))
    .executeTakeFirst();
  if (!row || row.kind !== 'operator' || row.expires_at <= now.toISOString()) return null;
  return row.store_id;
}

/** Ends a session (logout). */
export async function destroySession(db: Kysely<Database>, value: string | undefined): Promise<void> {
  if (value) await db.deleteFrom('sessions').where('id_hash', '=', hashId(value)).execute();
}
