import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { PASSWORD, signUp } from '../console/console-client.js';
import {
  DIALECTS,
  startProductionPlatform,
  startTestPlatform,
  type TestPlatform,
} from '../helpers/platform.js';

/**
 * Issue 9.1: a sign-in attempt is counted atomically *before* its password is checked, and the
 * per-address limit takes the client address from X-Forwarded-For only behind a trusted proxy.
 */
describe.each(DIALECTS)('parallel password guessing on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, {
      rateLimits: { consoleLoginFailures: 10, sessionPerMinute: 1000 },
    });
    await signUp(platform, 'owner@shop.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('25 parallel guesses, the right one last: at most 10 reach the password check', async () => {
    const guesses = Array.from({ length: 25 }, (_, i) => (i === 24 ? PASSWORD : `wrong guess number ${i}`));
    const results = await Promise.all(
      guesses.map((password) =>
        platform.app.inject({
          method: 'POST',
          url: '/v1/console/session',
          payload: { email: 'owner@shop.example', password },
        }),
      ),
    );
    const codes = results.map((r) => r.json().returnCode as string);
    const checked = codes.filter((c) => c === '4001' || c === '0000');
    expect(checked.length).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c === '4029')).toHaveLength(25 - checked.length);
    // The limited ones got no session cookie.
    for (const r of results.filter((r) => r.json().returnCode === '4029')) {
      expect(String(r.headers['set-cookie'] ?? '')).not.toMatch(/mycard_console=/);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Even the right password is now refused for this account until the window ends.
    const after = await platform.app.inject({
      method: 'POST',
      url: '/v1/console/session',
      payload: { email: 'owner@shop.example', password: PASSWORD },
    });
    expect(after.json().returnCode).toBe('4029');
  });
});

describe('client address: X-Forwarded-For only from MYCARD_TRUSTED_PROXIES, rightmost untrusted hop', () => {
  const production = (trustedProxies: string) =>
    startProductionPlatform('sqlite', {
      rateLimitStore: 'local',
      trustedProxies,
      rateLimits: { sessionPerMinute: 3 },
    });
  const attempt = (platform: TestPlatform, xff: string, remoteAddress = '127.0.0.1') =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/console/session',
      payload: { email: `x${Math.random()}@shop.example`, password: 'whatever password' },
      headers: { 'x-forwarded-for': xff },
      remoteAddress,
    });

  it('in production with no trusted proxy, a forged X-Forwarded-For per request buys nothing', async () => {
    const platform = await production('');
    try {
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) codes.push((await attempt(platform, `198.51.100.${i}`)).json().returnCode);
      expect(codes).toEqual(['4001', '4001', '4001', '4029', '4029', '4029']);
    } finally {
      await platform.close();
    }
  });

  it('behind a trusted proxy the rightmost untrusted hop is the client; hops left of it are ignored', async () => {
    const platform = await production('127.0.0.1/32, 10.0.0.0/8');
    try {
      const codes: string[] = [];
      // The client forges a different left-most address each time; the proxy chain appends the
      // real client (203.0.113.7) and an internal hop (10.1.2.3).
      for (let i = 0; i < 4; i++)
        codes.push((await attempt(platform, `198.51.100.${i}, 203.0.113.7, 10.1.2.3`)).json().returnCode);
      expect(codes).toEqual(['4001', '4001', '4001', '4029']);
      // Another real client behind the same proxy has its own count.
      expect((await attempt(platform, '203.0.113.8')).json().returnCode).toBe('4001');
      // A peer that is not a trusted proxy: its header is ignored, its own address counts.
      for (let i = 0; i < 3; i++)
        expect((await attempt(platform, '203.0.113.9', '192.0.2.50')).json().returnCode).toBe('4001');
      expect((await attempt(platform, `203.0.113.${10}`, '192.0.2.50')).json().returnCode).toBe('4029');
    } finally {
      await platform.close();
    }
  });

  it('refuses a malformed trusted proxy entry at start', () => {
    expect(() => resolveConfig({ trustedProxies: '10.0.0.0/33' })).toThrow(/trustedProxies/);
    expect(() => resolveConfig({ trustedProxies: 'proxy.internal' })).toThrow(/trustedProxies/);
    expect(resolveConfig({ trustedProxies: '::1, 10.0.0.0/8' }).trustedProxies).toBe('::1, 10.0.0.0/8');
  });
});
