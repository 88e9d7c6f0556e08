import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  neverReachedServer,
  parseRetryAfter,
  RETRY_MAX_DELAY_MS,
} from '../src/retry-policy.js';

describe('backoffDelay', () => {
  it('doubles from 200 ms with jitter in the upper half, capped', () => {
    expect([0, 1, 2].map((n) => backoffDelay(n, () => 0))).toEqual([100, 200, 400]);
    expect([0, 1, 2].map((n) => backoffDelay(n, () => 1))).toEqual([200, 400, 800]);
    expect(backoffDelay(30, () => 1)).toBe(RETRY_MAX_DELAY_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});

describe('neverReachedServer', () => {
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
  const sysError = (code: string) => Object.assign(new Error(code), { code });

  it('is true only for failures before any byte was sent', () => {
    expect(neverReachedServer(fetchFailed(sysError('ECONNREFUSED')))).toBe(true);
    expect(neverReachedServer(fetchFailed(sysError('ENOTFOUND')))).toBe(true);
    expect(
      neverReachedServer(
        fetchFailed(new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')])),
      ),
    ).toBe(true);
    expect(neverReachedServer(fetchFailed(sysError('ECONNRESET')))).toBe(false);
    expect(neverReachedServer(fetchFailed(sysError('UND_ERR_SOCKET')))).toBe(false);
    expect(
      neverReachedServer(fetchFailed(new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNRESET')]))),
    ).toBe(false);
    // A browser says nothing about why: no proof, no retry.
    expect(neverReachedServer(new TypeError('Failed to fetch'))).toBe(false);
  });
});
