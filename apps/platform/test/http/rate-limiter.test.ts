import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/http/rate-limiter.js';

describe('rate limiter memory stays bounded', () => {
  it('does not keep a window for keys that are only checked (a flood of unknown channel ids)', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => 0, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) expect(limiter.blocked(String(1_000_000_000 + i)).blocked).toBe(false);
    expect(limiter.size()).toBe(0);
  });

  it('never holds more than maxKeys windows, however many keys are hit', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => t, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) {
      limiter.hit(`key-${i}`);
      t += 1;
      expect(limiter.size()).toBeLessThanOrEqual(100);
    }
  });

  it('blocks a key over the limit until its window ends, then lets it through', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => t });
    limiter.hit('victim');
    expect(limiter.blocked('victim').blocked).toBe(false);
    limiter.hit('victim');
    expect(limiter.blocked('victim')).toEqual({ blocked: true, retryAfter: 60 });
    t = 59_999;
    expect(limiter.blocked('victim')).toEqual({ blocked: true, retryAfter: 1 });
    t = 60_000;
    expect(limiter.blocked('victim').blocked).toBe(false);
  });
});
