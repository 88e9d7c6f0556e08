import { describe, expect, it } from 'vitest';
import { isOneTimeKey, ONE_TIME_KEY_LIFETIME_SECONDS } from '../src/index.js';

describe('one-time key', () => {
  it('is exactly 18 ASCII digits', () => {
    expect(isOneTimeKey('123456789012345678')).toBe(true);
    expect(isOneTimeKey('000000000000000000')).toBe(true);
    for (const bad of [
      '12345678901234567',
      '1234567890123456789',
      '12345678901234567a',
      ' 23456789012345678',
      '１23456789012345678',
      '',
    ]) {
      expect(isOneTimeKey(bad)).toBe(false);
    }
    expect(ONE_TIME_KEY_LIFETIME_SECONDS).toBe(300);
  });
});
