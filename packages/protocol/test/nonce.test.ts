import { describe, expect, it } from 'vitest';
import {
  checkNonceTime,
  isValidNonce,
  MyCardError,
  NONCE_PATTERN,
  NONCE_TIME_WINDOW_SECONDS,
  NonceError,
  nonceTime,
} from '../src/index.js';
import { HMAC_NONCE, UUID_TIME_MS, UUID_V1, UUID_V4, UUID_V7 } from './fixtures.js';
import { rejection } from './helpers.js';

describe('nonce format', () => {
  it('accepts 16–64 chars of [A-Za-z0-9._:-]', () => {
    expect(isValidNonce('a'.repeat(16))).toBe(true);
    expect(isValidNonce('a'.repeat(64))).toBe(true);
    expect(isValidNonce('Az09._:-Az09._:-')).toBe(true);
    expect(isValidNonce(HMAC_NONCE)).toBe(true);
    expect(NONCE_PATTERN.source).toBe('^[A-Za-z0-9._:-]{16,64}$');
  });

  it('rejects 15 chars, 65 chars and bad characters', () => {
    expect(isValidNonce('a'.repeat(15))).toBe(false);
    expect(isValidNonce('a'.repeat(65))).toBe(false);
    for (const c of [' ', '/', '+', '=', '!', 'é', '\n'])
      expect(isValidNonce(`${'a'.repeat(16)}${c}`)).toBe(false);
  });
});

describe('nonceTime', () => {
  it('reads the time of RFC 9562 UUIDv1 and v7 examples', () => {
    expect(nonceTime(UUID_V1)).toBe(UUID_TIME_MS);
    expect(nonceTime(UUID_V7)).toBe(UUID_TIME_MS);
    expect(nonceTime(UUID_V7.toUpperCase())).toBe(UUID_TIME_MS);
  });

  it('has no time for v4, non-RFC variants or non-canonical forms', () => {
    expect(nonceTime(UUID_V4)).toBeUndefined();
    expect(nonceTime(HMAC_NONCE)).toBeUndefined();
    expect(nonceTime(UUID_V7.replace('-98c4-', '-08c4-'))).toBeUndefined();
    expect(nonceTime(UUID_V7.replace(/-/g, ''))).toBeUndefined();
    expect(nonceTime(`{${UUID_V7}}`)).toBeUndefined();
    expect(nonceTime('a'.repeat(32))).toBeUndefined();
  });
});

describe('checkNonceTime', () => {
  const at = (offsetSeconds: number) => new Date(UUID_TIME_MS + offsetSeconds * 1000);

  it.each([UUID_V1, UUID_V7])('accepts %s within ±300 s', (nonce) => {
    for (const offset of [0, 300, -300, 299.999])
      expect(() => checkNonceTime(nonce, at(offset))).not.toThrow();
  });

  it.each([UUID_V1, UUID_V7])('rejects %s outside ±300 s with 1108', async (nonce) => {
    for (const offset of [300.001, -301, 86_400]) {
      const err = await rejection(() => checkNonceTime(nonce, at(offset)));
      expect(err).toBeInstanceOf(NonceError);
      expect(err).toBeInstanceOf(MyCardError);
      expect(err.returnCode).toBe('1108');
      expect(err.status).toBe(401);
      expect(err.code).toBe('nonce_time');
    }
    expect(NONCE_TIME_WINDOW_SECONDS).toBe(300);
  });

  it('lets nonces without a time through', () => {
    expect(() => checkNonceTime(UUID_V4, new Date(0))).not.toThrow();
    expect(() => checkNonceTime('n0nce_Zq8xJt3Lw2Vb9Yk4Rf7Ue1', new Date(0))).not.toThrow();
  });
});
