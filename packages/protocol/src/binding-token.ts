import { type CryptoProvider, webCryptoProvider } from './crypto-provider.js';
import { encodeBase64Url } from './internal/base64.js';
import { isCryptoKey, privateEcJwk } from './internal/keys.js';

/**
 * The JOSE `typ` of a binding token (PROTOCOL.md §4, step 3).
 *
 * @example
 * ```ts
 * if (header.typ !== BINDING_TOKEN_TYPE) reject();
 * ```
 */
export const BINDING_TOKEN_TYPE = 'mycard-binding+jwt';

/**
 * The only JWS algorithm of the protocol.
 *
 * @example
 * ```ts
 * new CompactSign(payload).setProtectedHeader({ alg: BINDING_TOKEN_ALG, typ: BINDING_TOKEN_TYPE, kid });
 * ```
 */
export const BINDING_TOKEN_ALG = 'ES256';

/**
 * A binding token lives 600 s: `exp = iat + 600` (PROTOCOL.md §4, step 3).
 *
 * @example
 * ```ts
 * const expiresAt = new Date((claims.iat + BINDING_TOKEN_LIFETIME_SECONDS) * 1000);
 * ```
 */
export const BINDING_TOKEN_LIFETIME_SECONDS = 600;

/**
 * The clock skew a verifier tolerates on `exp` and `iat` (PROTOCOL.md §4, step 4).
 *
 * @example
 * ```ts
 * await verifyBindingToken(token, { ...options, maxSkewSeconds: MAX_CLOCK_SKEW_SECONDS / 2 });
 * ```
 */
export const MAX_CLOCK_SKEW_SECONDS = 60;

/**
 * The claims of a binding token (PROTOCOL.md §4, step 3).
 *
 * @example
 * ```ts
 * const claims: BindingTokenClaims = await verifyBindingToken(token, options);
 * redirectTo(claims.callback);
 * ```
 */
export interface BindingTokenClaims {
  /** The platform's public URL. */
  iss: string;
  /** The merchant's channel id. */
  aud: string;
  /** The pairwise wallet-user id: stable per user per program, reveals nothing else. */
  sub: string;
  /** The binding id. */
  jti: string;
  /** The nonce also carried in the merchant page's query. */
  nonce: string;
  /** The wallet callback URL; the merchant redirects only here. */
  callback: string;
  /** Issued at, NumericDate seconds. */
  iat: number;
  /** Expires at, NumericDate seconds. */
  exp: number;
}

/**
 * Input of {@link buildBindingClaims}.
 *
 * @example
 * ```ts
 * const input: BuildBindingClaimsInput = { issuer, channelId, subject, bindingId, nonce, callback, now: new Date() };
 * ```
 */
export interface BuildBindingClaimsInput {
  issuer: string;
  channelId: string;
  subject: string;
  bindingId: string;
  nonce: string;
  callback: string;
  now: Date;
  /** Defaults to {@link BINDING_TOKEN_LIFETIME_SECONDS}. */
  lifetimeSeconds?: number;
}

/**
 * Builds the claims of a binding token from the platform's names for them.
 *
 * @example
 * ```ts
 * const claims = buildBindingClaims({
 *   issuer: 'https://mycard.example', channelId: '1234567890', subject: 'u_3f9…',
 *   bindingId: 'b_Xk2…', nonce, callback: 'https://mycard.example/wallet/bindings/callback',
 *   now: new Date(),
 * });
 * ```
 */
export function buildBindingClaims(input: BuildBindingClaimsInput): BindingTokenClaims {
  const lifetime = input.lifetimeSeconds ?? BINDING_TOKEN_LIFETIME_SECONDS;
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0) {
    throw new TypeError('lifetimeSeconds must be a positive integer');
  }
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('now must be a valid Date');
  const iat = Math.floor(nowMs / 1000);
  // Key order is fixed so that the same input always serializes the same way.
  return {
    iss: input.issuer,
    aud: input.channelId,
    sub: input.subject,
    jti: input.bindingId,
    nonce: input.nonce,
    callback: input.callback,
    iat,
    exp: iat + lifetime,
  };
}

/**
 * The signing key of {@link signBindingToken}.
 *
 * @example
 * ```ts
 * const key: BindingSigningKey = { kid: signing.kid, privateKey: signing.privateJwk };
 * ```
 */
export interface BindingSigningKey {
  kid: string;
  /** A CryptoKey (ECDSA P-256, usage `sign`) or a private EC P-256 JWK. */
  privateKey: CryptoKey | JsonWebKey;
}

/**
 * Signs binding-token claims as a compact JWS with header
 * `{"alg":"ES256","typ":"mycard-binding+jwt","kid":…}` (PROTOCOL.md §4, step 3).
 *
 * @example
 * ```ts
 * const { kid, privateJwk } = await generateSigningKey();
 * const token = await signBindingToken(claims, { kid, privateKey: privateJwk });
 * ```
 */
export async function signBindingToken(
  claims: BindingTokenClaims,
  key: BindingSigningKey,
  options: { crypto?: CryptoProvider } = {},
): Promise<string> {
  if (typeof key.kid !== 'string' || key.kid === '') throw new TypeError('kid must be a non-empty string');
  const crypto = options.crypto ?? webCryptoProvider;
  const privateKey = await crypto.importEs256PrivateKey(
    isCryptoKey(key.privateKey) ? key.privateKey : privateEcJwkOf(key.privateKey),
  );
  // A compact JWS (RFC 7515 §7.1): BASE64URL(header) . BASE64URL(payload) . BASE64URL(r‖s).
  const header = JSON.stringify({ alg: BINDING_TOKEN_ALG, typ: BINDING_TOKEN_TYPE, kid: key.kid });
  const signingInput = `${encodeBase64Url(utf8.encode(header))}.${encodeBase64Url(utf8.encode(JSON.stringify(claims)))}`;
  const signature = await crypto.signEs256(privateKey, utf8.encode(signingInput));
  return `${signingInput}.${encodeBase64Url(signature)}`;
}

const utf8 = new TextEncoder();

/** Checked private JWKs, per JWK object (so a provider's per-object key cache keeps working). */
const checkedJwks = new WeakMap<JsonWebKey, JsonWebKey>();

function privateEcJwkOf(jwk: JsonWebKey): JsonWebKey {
  let checked = checkedJwks.get(jwk);
  if (!checked) {
    checked = privateEcJwk(jwk);
    checkedJwks.set(jwk, checked);
  }
  return checked;
}
