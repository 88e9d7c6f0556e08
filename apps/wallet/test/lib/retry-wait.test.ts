import { describe, expect, it } from 'vitest';
import { retryWait } from '../../src/lib/retry-wait.js';

describe('retryWait', () => {
  it('says minutes below an hour and hours above, rounded up so it is never too early', () => {
    expect(retryWait(30, 'en')).toBe('in 30 seconds');
    expect(retryWait(61, 'en')).toBe('in 2 minutes');
    expect(retryWait(3600, 'en')).toBe('in 1 hour');
    expect(retryWait(3601, 'en')).toBe('in 2 hours');
    expect(retryWait(86_400, 'en')).toBe('in 24 hours');
  });

  it('speaks every wallet language', () => {
    expect(retryWait(7200, 'ja')).toBe('2 時間後');
    expect(retryWait(7200, 'zh-TW')).toBe('2 小時後');
    expect(retryWait(7200, 'th')).toBe('ในอีก 2 ชั่วโมง');
  });

  it('treats a missing or odd wait as the shortest one', () => {
    expect(retryWait(0, 'en')).toBe('in 1 second');
    expect(retryWait(-5, 'en')).toBe('in 1 second');
  });
});
