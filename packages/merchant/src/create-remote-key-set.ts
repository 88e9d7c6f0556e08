import { MyCardNetworkError } from './errors.js';
import type { FetchLike } from './send-signed-request.js';

/**
 * Options of {@link createRemoteKeySet}.
 *
 * @example
 * ```ts
 * const options: RemoteKeySetOptions = { cacheMaxAgeMs: 10 * 60_000, cooldownMs: 30_000 };
 * ```
 */
export interface RemoteKeySetOptions {
  /** The `fetch` to use; default the global one. */
  fetch?: FetchLike;
  /** The clock of the cache; default the system clock. */
  now?: () => Date;
  /** How long a fetched key set is used before it is fetched again, in ms; default 10 min. */
  cacheMaxAgeMs?: number;
  /** Minimum time between two fetches caused by an unknown `kid`, in ms; default 30 s. */
  cooldownMs?: number;
  /** Per fetch, in ms; default 5 s. */
  timeoutMs?: number;
}

/**
 * A key resolver by `kid`, usable wherever `@mycard/protocol` takes a `BindingKeySource`.
 *
 * @example
 * ```ts
 * const keys: RemoteKeySet = createRemoteKeySet('https://mycard.example/.well-known/jwks.json');
 * const jwk = await keys('2024-06');
 * ```
 */
export type RemoteKeySet = (kid: string) => Promise<JsonWebKey | undefined>;

/** A JWKS is a few hundred bytes per key; anything far larger is not the platform's. */
const MAX_JWKS_BYTES = 64 * 1024;

/**
 * Creates a cached resolver of the platform's public keys from its JWKS URL
 * (`{platform}/.well-known/jwks.json`, PROTOCOL.md §4.3).
 *
 * - The key set is fetched on first use and again once it is older than `cacheMaxAgeMs`.
 * - A `kid` not in the cached set triggers a refetch — that is how a key rotation is picked up —
 *   but at most one per `cooldownMs`, and concurrent lookups share one fetch: a flood of tokens
 *   with made-up `kid`s costs the platform at most one JWKS request per cooldown. Within the
 *   cooldown an unknown `kid` resolves to `undefined` (the token is then refused, 3001
 *   `kid_unknown`).
 * - A fetch that fails (network, timeout, non-200, not a JWKS) throws {@link MyCardNetworkError}:
 *   the page can say "try again" instead of blaming the member. A stale set is not used then.
 *
 * Only EC P-256 keys with a `kid` are kept; the protocol accepts nothing else (§4.4).
 *
 * @example
 * ```ts
 * import { verifyBindingToken } from '@mycard/protocol';
 *
 * const keys = createRemoteKeySet('https://mycard.example/.well-known/jwks.json');
 * const claims = await verifyBindingToken(token, { keys, issuer: 'https://mycard.example', audience: channelId });
 * ```
 */
export function createRemoteKeySet(url: string | URL, options: RemoteKeySetOptions = {}): RemoteKeySet {
  const href = new URL(url).href;
  const { cacheMaxAgeMs = 10 * 60_000, cooldownMs = 30_000, timeoutMs = 5_000 } = options;
  const fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetch !== 'function') throw new TypeError('No fetch available: pass options.fetch');
  const clock = options.now ?? (() => new Date());
  const nowMs = () => clock().getTime();

  let keys: JsonWebKey[] | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let lastFetchStartedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;

  function refresh(): Promise<void> {
    if (!inflight) {
      lastFetchStartedAt = nowMs();
      inflight = loadJwks(fetch, href, timeoutMs)
        .then((loaded) => {
          keys = loaded;
          fetchedAt = nowMs();
        })
        .finally(() => {
          inflight = undefined;
        });
    }
    return inflight;
  }

  const find = (kid: string) => keys?.find((k) => (k as { kid?: unknown }).kid === kid);

  return async (kid: string) => {
    // A fetch already under way may bring this kid: wait for it, whatever its outcome.
    if (inflight) await inflight.catch(() => undefined);
    if (!keys || nowMs() - fetchedAt >= cacheMaxAgeMs) await refresh();
    const found = find(kid);
    if (found || nowMs() - lastFetchStartedAt < cooldownMs) return found;
    await refresh();
    return find(kid);
  };
}

async function loadJwks(fetch: FetchLike, href: string, timeoutMs: number): Promise<JsonWebKey[]> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let status: number;
  let text: string;
  try {
    const response = await fetch(href, {
      headers: { Accept: 'application/json' },
      signal: controller.signal,
    });
    status = response.status;
    text = await response.text();
  } catch (cause) {
    if (timedOut)
      throw new MyCardNetworkError('timeout', `JWKS not received within ${timeoutMs} ms`, { cause });
    throw new MyCardNetworkError('network_error', 'Could not fetch the platform JWKS', { cause });
  } finally {
    clearTimeout(timer);
  }
  if (status !== 200) {
    throw new MyCardNetworkError('bad_response', `JWKS request answered HTTP ${status}`, { status });
  }
  const jwks = text.length <= MAX_JWKS_BYTES ? parseJson(text) : undefined;
  const list = (jwks as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(list)) {
    throw new MyCardNetworkError('bad_response', 'The JWKS URL did not return a JWK Set', { status });
  }
  return list.filter(
    (k): k is JsonWebKey =>
      typeof k === 'object' &&
      k !== null &&
      k.kty === 'EC' &&
      k.crv === 'P-256' &&
      typeof k.kid === 'string' &&
      k.kid !== '',
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
