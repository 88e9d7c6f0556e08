import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compiledOnce, slot } from '../db/compiled-query.js';
import type { Database } from '../db/schema.js';

export type SessionKind = 'member' | 'operator';

/** SHA-256 (base64url) of a session cookie: what `sessions.id_hash` stores. */
export function hashId(value: string): string {
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

/** How long a checked operator session is believed without asking the database again. */
export const SESSION_CACHE_MS = 30_000;
const SESSION_CACHE_SIZE = 10_000;

interface CachedSession {
  operatorId: number;
  storeId: string | null;
  expiresAt: string;
  checkedAt: number;
}

/** Per database: operator sessions checked recently, by cookie hash. */
const checked = new WeakMap<Kysely<Database>, Map<string, CachedSession>>();

/**
 * A live operator session as {@link loadOperatorSession}, believed for up to
 * {@link SESSION_CACHE_MS} after the database last said so (and never past its expiry), so a
 * till's sale does not wait for a session read. Only for calls that check the session again in
 * their own transaction (a sale: `appendEntry`'s `session`): a session ended on another instance
 * is refused there, before anything is stored. A logout here forgets it at once.
 */
export async function cachedOperatorSession(
  db: Kysely<Database>,
  value: string | undefined,
  now: Date,
): Promise<{ operatorId: number; storeId: string | null } | undefined> {
  if (value?.length !== 43) return undefined;
  const hash = hashId(value);
  let cache = checked.get(db);
  if (!cache) {
    cache = new Map();
    checked.set(db, cache);
  }
  const hit = cache.get(hash);
  const at = now.getTime();
  const iso = now.toISOString();
  if (hit && hit.expiresAt > iso && at - hit.checkedAt < SESSION_CACHE_MS && at >= hit.checkedAt) {
    return { operatorId: hit.operatorId, storeId: hit.storeId };
  }
  const row = (await db.executeQuery(sessionQuery(db, [hash]))).rows[0];
  if (row?.kind !== 'operator' || row.expires_at <= iso) {
    cache.delete(hash);
    return undefined;
  }
  if (cache.size >= SESSION_CACHE_SIZE) cache.clear();
  cache.set(hash, {
    operatorId: row.subject_id,
    storeId: row.store_id,
    expiresAt: row.expires_at,
    checkedAt: at,
  });
  return { operatorId: row.subject_id, storeId: row.store_id };
}

const expiryQuery = compiledOnce<{ expires_at: string }, [string]>((db) =>
  db
    .selectFrom('sessions')
    .select('expires_at')
    .where('id_hash', '=', slot<string>(0))
    .where('kind', '=', 'operator'),
);

/** When the operator session of cookie hash `idHash` ends; null when there is none. */
export async function operatorSessionExpiry(db: Kysely<Database>, idHash: string): Promise<string | null> {
  return (await db.executeQuery(expiryQuery(db, [idHash]))).rows[0]?.expires_at ?? null;
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
  if (!value) return;
  checked.get(db)?.delete(hashId(value));
  await db.deleteFrom('sessions').where('id_hash', '=', hashId(value)).execute();
}
