import { describe, expect, it } from 'vitest';
import { formatCountdown, localExpiry, renewDelay, secondsLeft } from '../../src/lib/countdown.js';

const T0 = Date.parse('2026-11-27T10:00:00.000Z');

describe('My Code countdown', () => {
  it('counts whole seconds down to zero, never below', () => {
    expect(secondsLeft(T0 + 300_000, T0)).toBe(300);
    expect(secondsLeft(T0 + 300_000, T0 + 299_001)).toBe(1);
    expect(secondsLeft(T0 + 300_000, T0 + 300_000)).toBe(0);
    expect(secondsLeft(T0 + 300_000, T0 + 400_000)).toBe(0);
  });

  it('formats m:ss', () => {
    expect(formatCountdown(300)).toBe('5:00');
    expect(formatCountdown(65)).toBe('1:05');
    expect(formatCountdown(9)).toBe('0:09');
    expect(formatCountdown(-3)).toBe('0:00');
  });

  it('renews 30 s before a 300 s key expires, never in a tight loop', () => {
    expect(renewDelay(T0, T0 + 300_000, T0)).toBe(270_000);
    expect(renewDelay(T0, T0 + 300_000, T0 + 280_000)).toBe(1000);
    // A short-lived key still gets at least 5 s of lead.
    expect(renewDelay(T0, T0 + 20_000, T0)).toBe(15_000);
  });

  it('trusts expiresAt only when plausible against the phone clock', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(localExpiry(iso(T0 + 300_000), T0 + 500)).toBe(T0 + 300_000);
    // Phone clock 10 minutes fast: the key would look dead on arrival.
    expect(localExpiry(iso(T0 + 300_000), T0 + 600_000)).toBe(T0 + 600_000 + 300_000);
    // Phone clock an hour slow: the key would look valid for an hour.
    expect(localExpiry(iso(T0 + 300_000), T0 - 3_600_000)).toBe(T0 - 3_600_000 + 300_000);
    expect(localExpiry('not a date', T0)).toBe(T0 + 300_000);
  });
});
