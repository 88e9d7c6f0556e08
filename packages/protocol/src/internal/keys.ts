/**
 * Key plumbing shared by the binding-token modules (internal, not re-exported).
 * Only EC P-256 is ever accepted: the protocol has one algorithm, ES256 (PROTOCOL.md §4, step 4).
 */

export const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const ES256_VERIFY = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** True for a WebCrypto `CryptoKey` (checked structurally so it works across realms). */
export function isCryptoKey(value: unknown): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CryptoKey).type === 'string' &&
    typeof (value as CryptoKey).algorithm === 'object' &&
    Array.isArray((value as CryptoKey).usages)
  );
}

/** The `kid` of a JWK (the DOM `JsonWebKey` type does not declare it). */
export function jwkKid(jwk: JsonWebKey): unknown {
  return (jwk as { kid?: unknown }).kid;
}

/** True when a JWK is an EC P-256 public key usable for ES256 signatures. */
export function isEs256Jwk(jwk: unknown): jwk is JsonWebKey {
  if (typeof jwk !== 'object' || jwk === null) return false;
  const k = jwk as JsonWebKey;
  return (
    k.kty === 'EC' &&
    k.crv === 'P-256' &&
    typeof k.x === 'string' &&
    typeof k.y === 'string' &&
    (k.alg === undefined || k.alg === 'ES256') &&
    (k.use === undefined || k.use === 'sig')
  );
}

/** True when a CryptoKey is an ECDSA P-256 public key allowed to verify. */
export function isEs256VerifyKey(key: CryptoKey): boolean {
  const alg = key.algorithm as EcKeyAlgorithm;
  return (
    key.type === 'public' &&
    alg.name === 'ECDSA' &&
    alg.namedCurve === 'P-256' &&
    key.usages.includes('verify')
  );
}

/** Only the members that define a public P-256 key (a private `d` is never carried over). */
export function publicEcJwk(jwk: JsonWebKey): JsonWebKey {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** Only the members that define a private P-256 key, so stray `use`/`key_ops` cannot get in the way. */
export function privateEcJwk(jwk: JsonWebKey): JsonWebKey {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new TypeError('privateKey must be an EC P-256 private JWK');
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d };
}

// Imported verify keys, per JWK object: a JWKS is usually a long-lived object and importing is the
// slow part of a verification.
const imported = new WeakMap<object, Promise<CryptoKey | undefined>>();

/** Imports an ES256 public JWK for `verify`; `undefined` when it is not a valid P-256 point. */
export function importVerifyJwk(jwk: JsonWebKey): Promise<CryptoKey | undefined> {
  let key = imported.get(jwk);
  if (!key) {
    key = globalThis.crypto.subtle.importKey('jwk', publicEcJwk(jwk), P256, true, ['verify']).then(
      (k) => k,
      () => undefined,
    );
    imported.set(jwk, key);
  }
  return key;
}
