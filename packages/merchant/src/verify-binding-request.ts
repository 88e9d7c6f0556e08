import {
  type BindingKeySource,
  importPublicKey,
  TokenInvalidError,
  verifyBindingToken,
} from '@mycard/protocol';
import { createRemoteKeySet, type RemoteKeySet } from './create-remote-key-set.js';
import type { FetchLike } from './send-signed-request.js';

/**
 * Options of {@link verifyBindingRequest}. Give exactly one of `jwksUrl`, `publicKey`, `keys`.
 *
 * @example
 * ```ts
 * const options: VerifyBindingRequestOptions = {
 *   channelId: '1234567890',
 *   issuer: 'https://mycard.example',
 *   jwksUrl: 'https://mycard.example/.well-known/jwks.json',
 * };
 * ```
 */
export interface VerifyBindingRequestOptions {
  /** Your channel id: the token's `aud` must equal it. */
  channelId: string;
  /** The platform's public URL, exactly as the platform states it: the token's `iss`. */
  issuer: string;
  /** The platform's JWKS URL; keys are cached and refreshed (see {@link createRemoteKeySet}). */
  jwksUrl?: string | URL;
  /** The platform's public key as shown in the console: an SPKI PEM or a public JWK. */
  publicKey?: string | JsonWebKey;
  /** Any other key source, e.g. a {@link createRemoteKeySet} with your own cache settings. */
  keys?: BindingKeySource;
  /** The `fetch` used for `jwksUrl`; default the global one. */
  fetch?: FetchLike;
  /** The clock; default the system clock. */
  now?: () => Date;
}

/**
 * A verified binding request: who is binding, and where to send them back.
 *
 * @example
 * ```ts
 * const request: BindingRequest = await verifyBindingRequest(req.query, options);
 * session.binding = { token: req.query.token, callback: request.callback };
 * ```
 */
export interface BindingRequest {
  /** The binding id (`jti`). */
  bindingId: string;
  /** The pairwise wallet-user id (`sub`): stable for this user in your program, reveals nothing else. */
  subject: string;
  nonce: string;
  /** The wallet's callback URL from the signed claims: the only place to redirect the member to. */
  callback: string;
  /** When the token expires; apply before then. */
  expiresAt: Date;
}

/** Longest accepted query values; a real binding token is well under 1 KiB. */
const LIMITS = { token: 4096, nonce: 512, callback: 2048 } as const;

/**
 * Verifies the request that opened your binding page (PROTOCOL.md §4, step 4). `query` is the
 * page's query: a `URLSearchParams`, or an object with `nonce`, `callback` and `token` such as
 * Express's `req.query` or Fastify's `request.query` (untrusted, so any value is accepted and
 * checked). The binding token must be an ES256 JWS of the platform (key by `kid` from the JWKS, or
 * your pinned public key), of type `mycard-binding+jwt`, issued by `issuer` for your `channelId`,
 * within its lifetime (±60 s skew), and the page's `nonce` and `callback` query parameters must
 * equal the signed claims.
 *
 * Throws {@link TokenInvalidError} (3001) for anything wrong with the request or the token — a
 * missing, repeated or oversized parameter included — {@link TokenExpiredError} (3002) when the
 * token has expired, and {@link MyCardNetworkError} when the JWKS cannot be fetched.
 *
 * Remote key sets are cached per `jwksUrl` (and `fetch`) for the life of the process, so calling
 * this on every request is cheap.
 *
 * @example
 * ```ts
 * app.get('/mycard/bind', async (req, res) => {
 *   const binding = await verifyBindingRequest(req.query, {
 *     channelId: process.env.MYCARD_CHANNEL_ID!,
 *     issuer: 'https://mycard.example',
 *     jwksUrl: 'https://mycard.example/.well-known/jwks.json',
 *   });
 *   req.session.binding = { token: req.query.token, callback: binding.callback };
 *   res.render('bind', { expiresAt: binding.expiresAt });
 * });
 * ```
 */
export async function verifyBindingRequest(
  query: unknown,
  options: VerifyBindingRequestOptions,
): Promise<BindingRequest> {
  const keys = keySourceOf(options);
  if (typeof options.channelId !== 'string' || !/^\d{10}$/.test(options.channelId)) {
    throw new TypeError('channelId must be 10 digits');
  }
  if (typeof options.issuer !== 'string' || options.issuer === '') {
    throw new TypeError('issuer must be the platform public URL');
  }
  const token = readParam(query, 'token');
  const nonce = readParam(query, 'nonce');
  const callback = readParam(query, 'callback');

  const claims = await verifyBindingToken(token, {
    keys,
    issuer: options.issuer,
    audience: options.channelId,
    nonce,
    callback,
    ...(options.now ? { now: options.now } : {}),
  });
  // The callback is where the merchant will send the member's browser: even from a validly signed
  // token, accept only an absolute http(s) URL without credentials (defence in depth).
  if (!isSafeCallback(claims.callback)) {
    throw new TokenInvalidError('callback_invalid', 'The callback is not an absolute http(s) URL.');
  }
  return {
    bindingId: claims.jti,
    subject: claims.sub,
    nonce: claims.nonce,
    callback: claims.callback,
    expiresAt: new Date(claims.exp * 1000),
  };
}

function isSafeCallback(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
  );
}

function readParam(query: unknown, name: keyof typeof LIMITS): string {
  let value: unknown;
  if (query instanceof URLSearchParams) {
    const all = query.getAll(name);
    value = all.length === 1 ? all[0] : undefined;
  } else {
    value =
      typeof query === 'object' && query !== null ? (query as Record<string, unknown>)[name] : undefined;
  }
  // A repeated parameter arrives as an array (Express, Fastify): ambiguous, so refused.
  if (typeof value !== 'string' || value === '' || value.length > LIMITS[name]) {
    throw new TokenInvalidError('request_invalid', `Query parameter "${name}" is missing or malformed.`);
  }
  return value;
}

const remoteKeySets = new Map<string, RemoteKeySet>();
const fetchIds = new WeakMap<FetchLike, number>();
let nextFetchId = 1;
const pemKeys = new Map<string, Promise<CryptoKey>>();
const jwkKeys = new WeakMap<JsonWebKey, Promise<CryptoKey>>();
/** A process normally pins one or two PEMs; the cache never grows past this. */
const MAX_PEM_CACHE = 16;

function keySourceOf(options: VerifyBindingRequestOptions): BindingKeySource {
  const given = [options.jwksUrl, options.publicKey, options.keys].filter((v) => v !== undefined);
  if (given.length !== 1) throw new TypeError('Give exactly one of jwksUrl, publicKey, keys');
  if (options.keys !== undefined) return options.keys;
  if (options.jwksUrl !== undefined) return remoteKeySetFor(new URL(options.jwksUrl).href, options.fetch);
  if (options.publicKey !== undefined) return pinnedKeySource(options.publicKey);
  throw new TypeError('Give exactly one of jwksUrl, publicKey, keys');
}

function remoteKeySetFor(href: string, fetch: FetchLike | undefined): RemoteKeySet {
  // One cache per (URL, fetch): a test or a proxy-aware fetch gets its own.
  let fetchId = 0;
  if (fetch) {
    fetchId = fetchIds.get(fetch) ?? nextFetchId++;
    fetchIds.set(fetch, fetchId);
  }
  const cacheKey = `${fetchId} ${href}`;
  let keySet = remoteKeySets.get(cacheKey);
  if (!keySet) {
    keySet = createRemoteKeySet(href, fetch ? { fetch } : {});
    remoteKeySets.set(cacheKey, keySet);
  }
  return keySet;
}

function importPinned(publicKey: string | JsonWebKey): Promise<CryptoKey> {
  let imported = typeof publicKey === 'string' ? pemKeys.get(publicKey) : jwkKeys.get(publicKey);
  if (imported) return imported;
  imported = importPublicKey(publicKey);
  if (typeof publicKey === 'string') {
    if (pemKeys.size >= MAX_PEM_CACHE) pemKeys.clear();
    pemKeys.set(publicKey, imported);
    // A bad key is a configuration error: it is reported, but the rejection is not kept.
    imported.catch(() => pemKeys.delete(publicKey));
  } else {
    jwkKeys.set(publicKey, imported);
    imported.catch(() => jwkKeys.delete(publicKey));
  }
  return imported;
}

function pinnedKeySource(publicKey: string | JsonWebKey): BindingKeySource {
  const imported = importPinned(publicKey);
  const pinnedKid = typeof publicKey === 'string' ? undefined : (publicKey as { kid?: unknown }).kid;
  // A PEM carries no kid: the pinned key answers for any kid and the signature decides. A JWK with
  // a kid answers only for that kid.
  return async (kid) => (pinnedKid === undefined || pinnedKid === kid ? await imported : undefined);
}
