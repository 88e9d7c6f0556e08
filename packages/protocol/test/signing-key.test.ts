import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  buildBindingClaims,
  generateSigningKey,
  importPublicKey,
  publicJwkToPem,
  signBindingToken,
  verifyBindingToken,
} from '../src/index.js';
import {
  CHANNEL_ID,
  FIXED_CLAIMS,
  FIXED_NOW,
  FIXED_TOKEN,
  ISSUER,
  PLATFORM_PRIVATE_JWK,
  PLATFORM_PUBLIC_JWK,
} from './fixtures.js';
import { rejection } from './helpers.js';

const verifyOptions = { issuer: ISSUER, audience: CHANNEL_ID, now: () => FIXED_NOW };

describe('generateSigningKey', () => {
  it('returns an ES256 pair whose kid is the RFC 7638 thumbprint', async () => {
    const { kid, privateJwk, publicJwk } = await generateSigningKey();
    expect(kid).toBe(await calculateJwkThumbprint(publicJwk as any));
    expect(publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid, alg: 'ES256', use: 'sig' });
    expect(publicJwk).not.toHaveProperty('d');
    expect(privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid, x: publicJwk.x, y: publicJwk.y });
    expect(typeof privateJwk.d).toBe('string');
  });

  it('uses a given kid', async () => {
    const key = await generateSigningKey('2025-01');
    expect(key.kid).toBe('2025-01');
    expect(key.publicJwk.kid).toBe('2025-01');
  });

  it('produces keys that sign verifiable tokens', async () => {
    const { kid, privateJwk, publicJwk } = await generateSigningKey();
    const claims = buildBindingClaims({
      issuer: ISSUER,
      channelId: CHANNEL_ID,
      subject: 's',
      bindingId: 'b_0123456789012345678901',
      nonce: 'n',
      callback: 'https://mycard.example/cb',
      now: FIXED_NOW,
    });
    const token = await signBindingToken(claims, { kid, privateKey: privateJwk });
    expect(await verifyBindingToken(token, { ...verifyOptions, keys: { keys: [publicJwk] } })).toEqual(
      claims,
    );
  });

  it('the fixed fixture kid is the thumbprint of the fixed key', async () => {
    expect(await calculateJwkThumbprint(PLATFORM_PUBLIC_JWK)).toBe(PLATFORM_PUBLIC_JWK.kid);
  });
});

describe('publicJwkToPem / importPublicKey', () => {
  it('exports an SPKI PEM that node:crypto reads back as the same key', async () => {
    const pem = await publicJwkToPem(PLATFORM_PUBLIC_JWK);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    const jwk = createPublicKey(pem).export({ format: 'jwk' });
    expect(jwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      x: PLATFORM_PUBLIC_JWK.x,
      y: PLATFORM_PUBLIC_JWK.y,
    });
  });

  it('exports only the public half of a private JWK', async () => {
    expect(await publicJwkToPem(PLATFORM_PRIVATE_JWK)).toBe(await publicJwkToPem(PLATFORM_PUBLIC_JWK));
  });

  it('imports a PEM or a JWK into a key that verifies the fixed token', async () => {
    const pem = await publicJwkToPem(PLATFORM_PUBLIC_JWK);
    for (const source of [pem, pem.replace(/\n/g, '\r\n'), PLATFORM_PUBLIC_JWK]) {
      const key = await importPublicKey(source);
      expect(key.type).toBe('public');
      expect(await verifyBindingToken(FIXED_TOKEN, { ...verifyOptions, keys: async () => key })).toEqual(
        FIXED_CLAIMS,
      );
    }
  });

  it('refuses anything but an EC P-256 public key', async () => {
    const { publicKey: rsa } = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const rsaPem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(await crypto.subtle.exportKey('spki', rsa)).toString('base64')}\n-----END PUBLIC KEY-----\n`;
    for (const bad of [
      rsaPem,
      'not a pem',
      '-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----',
      { ...PLATFORM_PUBLIC_JWK, crv: 'P-384' },
      { kty: 'oct', k: 'AA' },
    ]) {
      expect(await rejection(() => importPublicKey(bad as any))).toBeInstanceOf(TypeError);
    }
    expect(await rejection(() => publicJwkToPem({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }))).toBeInstanceOf(
      TypeError,
    );
  });
});
