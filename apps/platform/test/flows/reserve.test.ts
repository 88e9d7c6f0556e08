import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { type HttpPlatform, startHttpPlatform, WalletClient } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('Binding Reserve (PROTOCOL.md §4.1) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { rateLimits: { reservePerMinute: 5 } }, { now: clock.now });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('answers 201 with the reservation cookie (HttpOnly, SameSite=Lax, Path=/v1/bindings) and reuses it', async () => {
    const { channelId } = await platform.program();
    const w = await platform.wallet('r1');
    const res = await w.post('/v1/bindings', { channelId });
    expect(res.status).toBe(201);
    expect(res.body.returnCode).toBe('0000');
    const ttl = Date.parse(res.body.info.expiresAt) - clock.now().getTime();
    expect(ttl).toBeGreaterThan(599_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    const cookie = defined(res.headers.getSetCookie().find((c) => c.startsWith('mycard_reservation=')));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/v1\/bindings/);
    const verifier = w.cookies.get('mycard_reservation');
    await w.reserve(channelId);
    expect(w.cookies.get('mycard_reservation')).toBe(verifier);
  });

  it('answers 1101 for an unknown channel and 1102 for programs the user may not add; stores nothing', async () => {
    const draft = await platform.program({ status: 'DRAFT', testers: ['dev:tester'] });
    const suspended = await platform.program({ status: 'SUSPENDED' });
    const w = await platform.wallet('r2');
    const before = await platform.counts();
    const unknown = await w.post('/v1/bindings', { channelId: '1000000000' });
    expect([unknown.status, unknown.body.returnCode]).toEqual([401, '1101']);
    for (const channelId of [draft.channelId, suspended.channelId]) {
      const res = await w.post('/v1/bindings', { channelId });
      expect([res.status, res.body.returnCode]).toEqual([403, '1102']);
    }
    expect(await platform.counts()).toEqual(before);
    // The DRAFT program's tester may add it.
    const tester = await platform.wallet('tester');
    expect((await tester.post('/v1/bindings', { channelId: draft.channelId })).status).toBe(201);
  });

  it('refuses without a session (4001), cross-origin (4003), non-JSON (4003) and bad input (2101)', async () => {
    const { channelId } = await platform.program();
    const anonymous = new WalletClient(platform.url);
    const noSession = await anonymous.post('/v1/bindings', { channelId });
    expect([noSession.status, noSession.body.returnCode]).toEqual([401, '4001']);
    const w = await platform.wallet('r3');
    const before = await platform.counts();
    const cross = await w.post('/v1/bindings', { channelId }, { origin: 'https://evil.example' });
    expect([cross.status, cross.body.returnCode]).toEqual([403, '4003']);
    const site = await w.post('/v1/bindings', { channelId }, { 'sec-fetch-site': 'cross-site' });
    expect([site.status, site.body.returnCode]).toEqual([403, '4003']);
    const form = await w.post('/v1/bindings', `channelId=${channelId}`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([form.status, form.body.returnCode]).toEqual([403, '4003']);
    const extra = await w.post('/v1/bindings', { channelId, more: true });
    expect([extra.status, extra.body.returnCode]).toEqual([400, '2101']);
    const badId = await w.post('/v1/bindings', { channelId: '12345' });
    expect([badId.status, badId.body.returnCode]).toEqual([400, '2101']);
    expect(await platform.counts()).toEqual(before);
  });

  it('rate-limits reservations per user (4029 with Retry-After)', async () => {
    const { channelId } = await platform.program();
    const w = await platform.wallet('r4');
    for (let i = 0; i < 5; i++) expect((await w.post('/v1/bindings', { channelId })).status).toBe(201);
    const limited = await w.post('/v1/bindings', { channelId });
    expect([limited.status, limited.body.returnCode]).toEqual([429, '4029']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user is not affected; the window passes.
    const other = await platform.wallet('r5');
    expect((await other.post('/v1/bindings', { channelId })).status).toBe(201);
    clock.advance(61);
    expect((await w.post('/v1/bindings', { channelId })).status).toBe(201);
  });

  it('uses the LIFF callback in LINE mode when a LIFF id is set', async () => {
    const line = await startHttpPlatform(dialect, {
      identity: 'line',
      line: { channelId: '2000000000', liffId: '2000000000-AbCdEf' },
    });
    try {
      const { channelId } = await line.program();
      // Sign a session in directly: the LINE sign-in itself is tested in test/wallet/line-session.test.ts.
      const { openWalletSession } = await import('../../src/wallet/wallet-session.js');
      let token = '';
      await openWalletSession(line.ctx, { setCookie: (_n: string, v: string) => (token = v) } as never, {
        id: 'line:U1',
        displayName: 'U',
      });
      const w = new WalletClient(line.url);
      w.cookies.set('mycard_session', token);
      const r = await w.reserve(channelId);
      expect(r.query.get('callback')).toBe('https://liff.line.me/2000000000-AbCdEf/bindings/callback');
    } finally {
      await line.close();
    }
  });
});
