import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { CryptoProvider } from '@mycard/protocol';

/**
 * The protocol's cryptography on `node:crypto` KeyObjects (synchronous OpenSSL calls on the main
 * thread, no Web Crypto job dispatch): what the platform passes to @mycard/protocol. Same inputs,
 * same outputs as `webCryptoProvider` (a test checks both, and that forgeries fail with each).
 */
const P1363 = 'ieee-p1363' as const;

/** KeyObjects per source object: a server signs and verifies with a few long-lived keys. */
const fromObject = new WeakMap<object, KeyObject>();

/** HMAC KeyObjects by secret, bounded (the oldest goes first), for callers that pass secrets as text. */
const HMAC_CACHE_SIZE = 1024;
const hmacKeys = new Map<string, KeyObject>();

function keyObjectOf(key: CryptoKey | JsonWebKey, type: 'private' | 'public'): KeyObject {
  let k = fromObject.get(key);
  if (!k) {
    const isCryptoKey = typeof (key as CryptoKey).algorithm === 'object' && 'usages' in key;
    k = isCryptoKey
      ? KeyObject.from(key as CryptoKey)
      : type === 'private'
        ? createPrivateKey({ key: key as JsonWebKey as never, format: 'jwk' })
        : createPublicKey({ key: key as JsonWebKey as never, format: 'jwk' });
    const curve = k.asymmetricKeyDetails?.namedCurve;
    if (k.type !== type || k.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
      throw new TypeError(`not an EC P-256 ${type} key`);
    }
    fromObject.set(key, k);
  }
  return k;
}

function asKeyObject(key: unknown, type: 'private' | 'public' | 'secret'): KeyObject {
  if (!(key instanceof KeyObject) || key.type !== type)
    throw new TypeError('not a key of the node:crypto provider');
  return key;
}

export const nodeCryptoProvider: CryptoProvider = {
  name: 'node:crypto',
  async importEs256PrivateKey(key) {
    return keyObjectOf(key, 'private');
  },
  async importEs256PublicKey(key) {
    try {
      return keyObjectOf(key, 'public');
    } catch {
      return undefined;
    }
  },
  async signEs256(key, data) {
    return sign('sha256', data, { key: asKeyObject(key, 'private'), dsaEncoding: P1363 });
  },
  async verifyEs256(key, signature, data) {
    return verify('sha256', data, { key: asKeyObject(key, 'public'), dsaEncoding: P1363 }, signature);
  },
  async importHmacKey(secret) {
    let key = hmacKeys.get(secret);
    if (!key) {
      key = createSecretKey(Buffer.from(secret, 'utf8'));
      if (hmacKeys.size >= HMAC_CACHE_SIZE) hmacKeys.delete(hmacKeys.keys().next().value as string);
      hmacKeys.set(secret, key);
    }
    return key;
  },
  async hmacSha256(key, data) {
    return createHmac('sha256', asKeyObject(key, 'secret')).update(data).digest();
  },
  async verifyHmacSha256(key, mac, data) {
    const expected = createHmac('sha256', asKeyObject(key, 'secret')).update(data).digest();
    return mac.length === expected.length && timingSafeEqual(mac, expected);
  },
};
