import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { decodeBase64, encodeBase64 } from './internal/base64.js';
import { isEs256Jwk, P256, publicEcJwk } from './internal/keys.js';

/**
 * A public ES256 JWK as published in the platform's JWKS (PROTOCOL.md §4, step 3).
 *
 * @example
 * ```ts
 * const jwks: { keys: PublicSigningJwk[] } = { keys: [current.publicJwk, next.publicJwk] };
 * ```
 */
export type PublicSigningJwk = JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };

/**
 * A private ES256 JWK, with the same `kid`, `alg` and `use` as its public half.
 *
 * @example
 * ```ts
 * const { privateJwk }: { privateJwk: PrivateSigningJwk } = await generateSigningKey();
 * ```
 */
export type PrivateSigningJwk = JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig'; d: string };

/**
 * Generates an ES256 (EC P-256) signing key pair for binding tokens. The `kid` defaults to the
 * RFC 7638 JWK thumbprint (SHA-256, Base64url) of the public key.
 *
 * @example
 * ```ts
 * const { kid, privateJwk, publicJwk } = await generateSigningKey();
 * const jwks = { keys: [publicJwk] }; // served at /.well-known/jwks.json
 * ```
 */
export async function generateSigningKey(
  kid?: string,
): Promise<{ kid: string; privateJwk: PrivateSigningJwk; publicJwk: PublicSigningJwk }> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { x, y, d } = await exportJWK(privateKey);
  // An exported P-256 private key always carries x, y and d (RFC 7518 §6.2); check anyway so
  // that a broken runtime fails here rather than with an unusable key later.
  if (x === undefined || y === undefined || d === undefined)
    throw new TypeError('Exported key lacks x, y or d');
  const base = { kty: 'EC', crv: 'P-256', x, y };
  const id = kid ?? (await calculateJwkThumbprint(base, 'sha256'));
  if (id === '') throw new TypeError('kid must be a non-empty string');
  return {
    kid: id,
    privateJwk: { ...base, d, kid: id, alg: 'ES256', use: 'sig' },
    publicJwk: { ...base, kid: id, alg: 'ES256', use: 'sig' },
  };
}

/**
 * Converts a public EC P-256 JWK into an SPKI PEM (`-----BEGIN PUBLIC KEY-----`), the form the
 * console shows merchants next to the JWKS URL. A private JWK is accepted; only its public half is
 * exported.
 *
 * @example
 * ```ts
 * const pem = await publicJwkToPem(publicJwk);
 * // '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…\n-----END PUBLIC KEY-----\n'
 * ```
 */
export async function publicJwkToPem(jwk: JsonWebKey): Promise<string> {
  if (!isEs256Jwk(jwk)) throw new TypeError('Expected an EC P-256 (ES256) JWK');
  const key = await globalThis.crypto.subtle.importKey('jwk', publicEcJwk(jwk), P256, true, ['verify']);
  const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', key));
  const lines = encodeBase64(spki).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

const PEM_PATTERN = /^\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----\s*$/;

/**
 * Imports an ES256 public key, given as an SPKI PEM or a JWK, as a `CryptoKey` for `verify` —
 * usable as what a {@link BindingKeySource} resolver returns. Anything but EC P-256 throws a
 * `TypeError`.
 *
 * @example
 * ```ts
 * const key = await importPublicKey(config.platformPublicKeyPem);
 * const claims = await verifyBindingToken(token, { keys: async () => key, issuer, audience });
 * ```
 */
export async function importPublicKey(keyOrPem: JsonWebKey | string): Promise<CryptoKey> {
  const subtle = globalThis.crypto.subtle;
  if (typeof keyOrPem === 'string') {
    const match = PEM_PATTERN.exec(keyOrPem);
    const body = match?.[1];
    const der = body === undefined ? undefined : decodeBase64(body.replace(/\s+/g, ''));
    if (!der) throw new TypeError('Expected a PEM "PUBLIC KEY" (SPKI)');
    try {
      return await subtle.importKey('spki', der, P256, true, ['verify']);
    } catch (cause) {
      throw new TypeError('Expected an EC P-256 public key', { cause });
    }
  }
  if (!isEs256Jwk(keyOrPem)) throw new TypeError('Expected an EC P-256 (ES256) JWK');
  try {
    return await subtle.importKey('jwk', publicEcJwk(keyOrPem), P256, true, ['verify']);
  } catch (cause) {
    throw new TypeError('Expected a valid EC P-256 public key', { cause });
  }
}
