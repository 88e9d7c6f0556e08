import { type PreparedChannelSecret, prepareChannelSecret } from '@mycard/protocol';
import type { Kysely } from 'kysely';
import type { PlatformContext } from '../context.js';
import { nodeCryptoProvider } from '../crypto/node-crypto-provider.js';
import type { Database } from '../store/schema.js';
import { type Program, programRow, toProgram } from './program-repository.js';

type CacheContext = Pick<PlatformContext, 'db' | 'secrets' | 'now'>;

interface CachedSecrets {
  /** `programs.secrets_version` the secrets were read at. */
  version: number;
  /** Newest first, with when each stops verifying (null: current). */
  entries: { prepared: PreparedChannelSecret; expiresAt: string | null }[];
}

/** Channels whose secrets one instance keeps; the least recently used goes first. */
export const CHANNEL_SECRET_CACHE_SIZE = 10_000;

/**
 * Per platform (keyed by its secret box, one per app): channel id → its secrets, decrypted once and
 * kept as node:crypto HMAC keys. Valid while the program row's `secrets_version` is the one they were
 * read at; a rotation (on any instance) bumps it in its own transaction, so the next call reloads.
 * The overlap's end is checked on every call against the cached `expires_at`, as the query did.
 */
const caches = new WeakMap<object, Map<string, CachedSecrets>>();

function cacheOf(ctx: CacheContext): Map<string, CachedSecrets> {
  let cache = caches.get(ctx.secrets);
  if (!cache) {
    cache = new Map();
    caches.set(ctx.secrets, cache);
  }
  return cache;
}

/** The program of a merchant call and the version of its secrets, in the one query made anyway. */
export async function getProgramForMerchantCall(
  db: Kysely<Database>,
  channelId: string,
): Promise<{ program: Program; secretsVersion: number } | undefined> {
  const [row] = (await db.executeQuery(programRow(db, [channelId]))).rows;
  return row ? { program: toProgram(row), secretsVersion: Number(row.secrets_version) } : undefined;
}

/**
 * The channel's secrets that verify signatures now (the current one and, during a rotation overlap,
 * the previous one), newest first, as prepared HMAC keys. Reads and decrypts only when the cached
 * copy is missing or was read at another `secretsVersion`.
 */
export async function activeChannelKeys(
  ctx: CacheContext,
  channelId: string,
  secretsVersion: number,
): Promise<PreparedChannelSecret[]> {
  const cache = cacheOf(ctx);
  let cached = cache.get(channelId);
  if (cached && cached.version === secretsVersion) {
    // Most recently used last (Map order), so the eviction below drops the coldest channel.
    cache.delete(channelId);
    cache.set(channelId, cached);
  } else {
    const rows = await ctx.db
      .selectFrom('program_secrets')
      .select(['secret_enc', 'expires_at'])
      .where('channel_id', '=', channelId)
      .orderBy('id', 'desc')
      .execute();
    const entries = await Promise.all(
      rows.map(async (r) => ({
        prepared: await prepareChannelSecret(ctx.secrets.open(r.secret_enc, channelId), nodeCryptoProvider),
        expiresAt: r.expires_at,
      })),
    );
    cached = { version: secretsVersion, entries };
    cache.delete(channelId);
    if (cache.size >= CHANNEL_SECRET_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(channelId, cached);
  }
  const now = ctx.now().toISOString();
  return cached.entries.filter((e) => e.expiresAt === null || e.expiresAt > now).map((e) => e.prepared);
}
