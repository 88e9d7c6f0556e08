import { importVerifyJwk, isCryptoKey, P256, privateEcJwk } from './internal/keys.js';

/**
 * The cryptography the protocol uses, as a provider (as stripe-node's `CryptoProvider`): ES256
 * sign/verify of binding tokens and HMAC-SHA256 of request signatures. The package itself stays
 * pure and ships {@link webCryptoProvider} (Web Crypto, every runtime); a server passes a faster
 * one of its own (the platform's is built on `node:crypto` KeyObjects). Every check — formats,
 * lengths, zero signatures, algorithms, claims — stays in the protocol functions: a provider only
 * computes. Key handles are the provider's own: a handle from one provider is never given to another.
 *
 * @example
 * ```ts
 * const index = await verifyRequestSignature({ channelSecrets, path, payload, nonce, signature, crypto: provider });
 * const token = await signBindingToken(claims, key, { crypto: provider });
 * ```
 */
export interface CryptoProvider {
  readonly name: string;
  /** A signing handle for an ES256 private key: a CryptoKey (usage `sign`) or a checked private P-256 JWK. */
  importEs256PrivateKey(key: CryptoKey | JsonWebKey): Promise<unknown>;
  /**
   * A verify handle for an ES256 public key (already checked to be P-256 by the caller: a CryptoKey
   * with usage `verify`, or a JWK reduced to kty/crv/x/y); undefined when it is not a valid point.
   */
  importEs256PublicKey(key: CryptoKey | JsonWebKey): Promise<unknown>;
  /** ECDSA P-256 / SHA-256 over `data`: the 64-byte r‖s (IEEE P1363) signature JWS uses. */
  signEs256(key: unknown, data: Uint8Array): Promise<Uint8Array>;
  /** Whether `signature` (64-byte r‖s) is a valid ES256 signature of `data`. */
  verifyEs256(key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  /** An HMAC-SHA256 handle whose key is the UTF-8 of `secret`. */
  importHmacKey(secret: string): Promise<unknown>;
  /** HMAC-SHA256 of `data` (32 bytes). */
  hmacSha256(key: unknown, data: Uint8Array): Promise<Uint8Array>;
  /** Whether `mac` is the HMAC-SHA256 of `data`, compared in constant time. */
  verifyHmacSha256(key: unknown, mac: Uint8Array, data: Uint8Array): Promise<boolean>;
}

const ES256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;
const utf8 = new TextEncoder();

/** Imported signing keys per JWK object (a server signs with one long-lived key). */
const privateKeys = new WeakMap<object, Promise<CryptoKey>>();

/**
 * Imported HMAC keys by secret. Importing costs more than the MAC itself on short messages, and a
 * server verifies many calls of few channels, so keys are kept (a bounded map: the oldest entry
 * goes first). Secrets are in memory either way; keys are not extractable.
 */
const HMAC_CACHE_SIZE = 1024;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function asCryptoKey(key: unknown): CryptoKey {
  if (!isCryptoKey(key)) throw new TypeError('not a key of the Web Crypto provider');
  return key;
}

/**
 * The default provider: Web Crypto (`globalThis.crypto.subtle`), in every runtime.
 *
 * @example
 * ```ts
 * const claims = await verifyBindingToken(token, { keys: jwks, issuer, audience, crypto: webCryptoProvider });
 * ```
 */
export const webCryptoProvider: CryptoProvider = {
  name: 'webcrypto',
  importEs256PrivateKey(key) {
    if (isCryptoKey(key)) return Promise.resolve(key);
    let imported = privateKeys.get(key);
    if (!imported) {
      imported = globalThis.crypto.subtle.importKey('jwk', privateEcJwk(key), P256, false, ['sign']);
      privateKeys.set(key, imported);
      imported.catch(() => privateKeys.delete(key));
    }
    return imported;
  },
  importEs256PublicKey(key) {
    return isCryptoKey(key) ? Promise.resolve(key) : importVerifyJwk(key);
  },
  async signEs256(key, data) {
    return new Uint8Array(await globalThis.crypto.subtle.sign(ES256, asCryptoKey(key), data as BufferSource));
  },
  verifyEs256(key, signature, data) {
    return globalThis.crypto.subtle.verify(
      ES256,
      asCryptoKey(key),
      signature as BufferSource,
      data as BufferSource,
    );
  },
  importHmacKey(secret) {
    let key = hmacKeys.get(secret);
    if (!key) {
      key = globalThis.crypto.subtle.importKey('raw', utf8.encode(secret), HMAC_SHA256, false, [
        'sign',
        'verify',
      ]);
      if (hmacKeys.size >= HMAC_CACHE_SIZE) hmacKeys.delete(hmacKeys.keys().next().value as string);
      hmacKeys.set(secret, key);
      key.catch(() => hmacKeys.delete(secret));
    }
    return key;
  },
  async hmacSha256(key, data) {
    return new Uint8Array(
      await globalThis.crypto.subtle.sign('HMAC', asCryptoKey(key), data as BufferSource),
    );
  },
  verifyHmacSha256(key, mac, data) {
    // Web Crypto's own verify compares in constant time.
    return globalThis.crypto.subtle.verify(
      'HMAC',
      asCryptoKey(key),
      mac as BufferSource,
      data as BufferSource,
    );
  },
};
