import {
  BINDING_TOKEN_ALG,
  BINDING_TOKEN_LIFETIME_SECONDS,
  BINDING_TOKEN_TYPE,
  type BindingTokenClaims,
  MAX_CLOCK_SKEW_SECONDS,
} from './binding-token.js';
import { type CryptoProvider, webCryptoProvider } from './crypto-provider.js';
import { TokenExpiredError, TokenInvalidError } from './errors.js';
import { decodeBase64Url } from './internal/base64.js';
import { isCryptoKey, isEs256Jwk, isEs256VerifyKey, jwkKid, publicEcJwk } from './internal/keys.js';

/**
 * Where a verifier finds the platform's public keys: a JWKS object (`{keys: [...]}`, as served at
 * `/.well-known/jwks.json`) or an async resolver by `kid` returning a public CryptoKey or JWK, or
 * `undefined` when the kid is unknown. Keys that are not EC P-256 (ES256) are ignored.
 *
 * @example
 * ```ts
 * const keys: BindingKeySource = await (await fetch(`${platformUrl}/.well-known/jwks.json`)).json();
 * const byKid: BindingKeySource = async (kid) => (kid === pinnedKid ? await importPublicKey(pem) : undefined);
 * ```
 */
export type BindingKeySource =
  | { keys: JsonWebKey[] }
  | ((kid: string) => Promise<CryptoKey | JsonWebKey | undefined>);

/**
 * Options of {@link verifyBindingToken}.
 *
 * @example
 * ```ts
 * const options: VerifyBindingTokenOptions = {
 *   keys: jwks, issuer: 'https://mycard.example', audience: '1234567890',
 *   nonce: query.nonce, callback: query.callback,
 * };
 * ```
 */
export interface VerifyBindingTokenOptions {
  keys: BindingKeySource;
  /** The platform's public URL: `iss` must equal it. */
  issuer: string;
  /** The merchant's own channel id: `aud` must equal it. */
  audience: string;
  /** The clock; defaults to the system clock. */
  now?: () => Date;
  /** Tolerated clock skew on `exp` and `iat`, in seconds; default {@link MAX_CLOCK_SKEW_SECONDS}. */
  maxSkewSeconds?: number;
  /** When given, the `nonce` claim must equal it exactly (the merchant page's `nonce` query parameter). */
  nonce?: string;
  /** When given, the `callback` claim must equal it exactly (the page's `callback` query parameter). */
  callback?: string;
  /** The cryptography to use; default {@link webCryptoProvider}. */
  crypto?: CryptoProvider;
}

/** Tokens are a few hundred bytes; anything far larger is not ours and is not worth decoding. */
const MAX_TOKEN_LENGTH = 8192;
const ES256_SIGNATURE_LENGTH = 64;
/** Header parameters that carry or point at a key: a verifier must never take its key from the token. */
const EMBEDDED_KEY_PARAMS = ['jwk', 'jku', 'x5c', 'x5u', 'crit'] as const;
const STRING_CLAIMS = ['iss', 'aud', 'sub', 'jti', 'nonce', 'callback'] as const;

/**
 * Verifies a binding token (PROTOCOL.md §4, step 4) and returns its claims.
 *
 * Checks, in order: compact form and Base64url; header `alg` exactly `ES256`, no embedded or
 * referenced key (`jwk`, `jku`, `x5c`, `x5u`, `crit`), `typ` exactly `mycard-binding+jwt`, `kid` a
 * non-empty string — all before any key lookup; then the key by `kid`; a 64-byte r‖s signature;
 * then the claims: types, `iss`, `aud`, lifetime, `exp`/`iat` with skew, `nonce`, `callback`.
 *
 * Every failure throws a {@link TokenInvalidError} (3001) with a distinct `code` (`malformed`,
 * `alg_not_allowed`, `embedded_key`, `typ_invalid`, `kid_invalid`, `kid_unknown`,
 * `signature_invalid`, `claims_invalid`, `iss_invalid`, `aud_invalid`, `lifetime_invalid`,
 * `iat_in_future`, `nonce_mismatch`, `callback_mismatch`), except expiry: {@link TokenExpiredError}
 * (3002, `token_expired`). Errors thrown by a key resolver propagate unchanged.
 *
 * @example
 * ```ts
 * const claims = await verifyBindingToken(query.token, {
 *   keys: jwks, issuer: 'https://mycard.example', audience: myChannelId,
 *   nonce: query.nonce, callback: query.callback,
 * });
 * // later: res.redirect(claims.callback) — never a callback taken from the query alone
 * ```
 */
export async function verifyBindingToken(
  token: string,
  options: VerifyBindingTokenOptions,
): Promise<BindingTokenClaims> {
  const { header, payloadBytes, signature, signingInput } = parseCompact(token);
  const kid = checkHeader(header);
  const crypto = options.crypto ?? webCryptoProvider;
  const keys = await resolveKeys(crypto, options.keys, kid);
  if (keys.length === 0) throw new TokenInvalidError('kid_unknown', 'No usable ES256 key for this kid.');
  await checkSignature(crypto, keys, signature, signingInput);
  const claims = parseClaims(payloadBytes);
  checkClaims(claims, options);
  return claims;
}

interface ParsedCompact {
  header: Record<string, unknown>;
  payloadBytes: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
  signingInput: Uint8Array<ArrayBuffer>;
}

function parseCompact(token: string): ParsedCompact {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    throw new TokenInvalidError('malformed', 'Not a compact JWS.');
  }
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenInvalidError('malformed', 'A compact JWS has three parts.');
  const [h, p, s] = parts as [string, string, string];
  const headerBytes = decodeBase64Url(h);
  const payloadBytes = decodeBase64Url(p);
  const signature = decodeBase64Url(s);
  if (!headerBytes || !payloadBytes || !signature || h === '' || p === '') {
    throw new TokenInvalidError('malformed', 'A part is not Base64url.');
  }
  const header = parseJsonObject(headerBytes);
  if (!header) throw new TokenInvalidError('malformed', 'The header is not a JSON object.');
  // The signing input is the ASCII of the first two parts as received (RFC 7515 §5.2).
  const signingInput = new TextEncoder().encode(`${h}.${p}`);
  return { header, payloadBytes, signature, signingInput };
}

function checkHeader(header: Record<string, unknown>): string {
  if (header.alg !== BINDING_TOKEN_ALG) {
    throw new TokenInvalidError('alg_not_allowed', 'Only ES256 is accepted.');
  }
  for (const param of EMBEDDED_KEY_PARAMS) {
    if (Object.hasOwn(header, param)) {
      throw new TokenInvalidError('embedded_key', `Header parameter "${param}" is not accepted.`);
    }
  }
  if (header.typ !== BINDING_TOKEN_TYPE) {
    throw new TokenInvalidError('typ_invalid', `typ must be "${BINDING_TOKEN_TYPE}".`);
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new TokenInvalidError('kid_invalid', 'kid must be a non-empty string.');
  }
  return header.kid;
}

async function resolveKeys(
  crypto: CryptoProvider,
  source: BindingKeySource,
  kid: string,
): Promise<unknown[]> {
  if (typeof source === 'function') {
    const found = await source(kid);
    const key = await toVerifyKey(crypto, found);
    return key === undefined ? [] : [key];
  }
  const jwks = Array.isArray(source?.keys) ? source.keys : [];
  const matches = jwks.filter((jwk) => isEs256Jwk(jwk) && jwkKid(jwk) === kid);
  const keys = await Promise.all(matches.map((jwk) => importPublic(crypto, jwk)));
  return keys.filter((k) => k !== undefined);
}

async function toVerifyKey(
  crypto: CryptoProvider,
  found: CryptoKey | JsonWebKey | undefined,
): Promise<unknown | undefined> {
  if (found === undefined || found === null) return undefined;
  if (isCryptoKey(found)) return isEs256VerifyKey(found) ? crypto.importEs256PublicKey(found) : undefined;
  return isEs256Jwk(found) ? importPublic(crypto, found) : undefined;
}

/** Public JWKs reduced to their P-256 members, per JWK object (providers cache per object). */
const reduced = new WeakMap<JsonWebKey, JsonWebKey>();

async function importPublic(crypto: CryptoProvider, jwk: JsonWebKey): Promise<unknown | undefined> {
  let key = reduced.get(jwk);
  if (!key) {
    key = publicEcJwk(jwk);
    reduced.set(jwk, key);
  }
  try {
    return await crypto.importEs256PublicKey(key);
  } catch {
    return undefined;
  }
}

async function checkSignature(
  crypto: CryptoProvider,
  keys: unknown[],
  signature: Uint8Array<ArrayBuffer>,
  signingInput: Uint8Array<ArrayBuffer>,
): Promise<void> {
  // ES256 signatures are the 64-byte r‖s of RFC 7518 §3.4; a DER signature is a different format
  // and is refused outright rather than converted.
  if (signature.length !== ES256_SIGNATURE_LENGTH) {
    throw new TokenInvalidError('signature_invalid', 'An ES256 signature is 64 bytes (r‖s).');
  }
  // r = 0 or s = 0 is never valid (the "psychic signatures" bug, CVE-2022-21449): refuse it even
  // before the crypto library sees it.
  if (isZero(signature.subarray(0, 32)) || isZero(signature.subarray(32))) {
    throw new TokenInvalidError('signature_invalid', 'Signature is invalid.');
  }
  for (const key of keys) {
    if (await crypto.verifyEs256(key, signature, signingInput)) return;
  }
  throw new TokenInvalidError('signature_invalid', 'Signature is invalid.');
}

function parseClaims(payloadBytes: Uint8Array): BindingTokenClaims {
  const payload = parseJsonObject(payloadBytes);
  if (!payload) throw new TokenInvalidError('claims_invalid', 'The payload is not a JSON object.');
  for (const name of STRING_CLAIMS) {
    if (typeof payload[name] !== 'string') {
      throw new TokenInvalidError('claims_invalid', `Claim "${name}" must be a string.`);
    }
  }
  for (const name of ['iat', 'exp'] as const) {
    if (typeof payload[name] !== 'number' || !Number.isFinite(payload[name])) {
      throw new TokenInvalidError('claims_invalid', `Claim "${name}" must be a NumericDate.`);
    }
  }
  const c = payload as unknown as BindingTokenClaims;
  return {
    iss: c.iss,
    aud: c.aud,
    sub: c.sub,
    jti: c.jti,
    nonce: c.nonce,
    callback: c.callback,
    iat: c.iat,
    exp: c.exp,
  };
}

function checkClaims(claims: BindingTokenClaims, options: VerifyBindingTokenOptions): void {
  if (claims.iss !== options.issuer) throw new TokenInvalidError('iss_invalid', 'Unexpected issuer.');
  if (claims.aud !== options.audience)
    throw new TokenInvalidError('aud_invalid', 'Token is not for this channel.');

  const skew = options.maxSkewSeconds ?? MAX_CLOCK_SKEW_SECONDS;
  if (!Number.isFinite(skew) || skew < 0) throw new TypeError('maxSkewSeconds must be a non-negative number');
  const nowMs = (options.now ?? (() => new Date()))().getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('now() must return a valid Date');
  const now = Math.floor(nowMs / 1000);

  // A token the platform could not have issued (exp before iat, or a lifetime beyond 600 s + skew)
  // is refused whatever the clock says.
  const lifetime = claims.exp - claims.iat;
  if (lifetime <= 0 || lifetime > BINDING_TOKEN_LIFETIME_SECONDS + skew) {
    throw new TokenInvalidError('lifetime_invalid', 'Token lifetime is out of range.');
  }
  if (now > claims.exp + skew) throw new TokenExpiredError('token_expired', 'Binding token expired.');
  if (claims.iat > now + skew) throw new TokenInvalidError('iat_in_future', 'Token issued in the future.');

  // Exact comparison: the page's query parameters must be the ones the platform signed (§4, step 4).
  if (options.nonce !== undefined && claims.nonce !== options.nonce) {
    throw new TokenInvalidError('nonce_mismatch', 'nonce does not match the token.');
  }
  if (options.callback !== undefined && claims.callback !== options.callback) {
    throw new TokenInvalidError('callback_mismatch', 'callback does not match the token.');
  }
}

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not UTF-8 or not JSON: the caller reports it.
  }
  return undefined;
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}
