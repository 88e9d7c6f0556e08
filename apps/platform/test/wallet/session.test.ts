import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { type HttpPlatform, startHttpPlatform, WalletClient } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('wallet session, dev identity (PROTOCOL.md §5) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { rateLimits: { sessionPerMinute: 6 } }, { now: clock.now });
  });
  afterAll(async () => {
    await platform?.close();
  });
  const pair = (r: { status: number; body: any }) => [r.status, r.body.returnCode];

  it('signs in, tells who is signed in, signs out', async () => {
    const w = new WalletClient(platform.url);
    const res = await w.post('/v1/session/dev', { userId: 'alice', displayName: 'Alice' });
    expect(res.status).toBe(200);
    expect(res.body.info).toEqual({ userId: 'dev:alice', displayName: 'Alice', identity: 'dev' });
    const cookie = defined(res.headers.getSetCookie().find((c) => c.startsWith('mycard_session=')));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    // Only the hash of the cookie is stored.
    const rows = await platform.ctx.db.selectFrom('wallet_sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(w.cookies.get('mycard_session'));
    expect((await w.get('/v1/session')).body.info.userId).toBe('dev:alice');
    expect((await w.delete('/v1/session')).status).toBe(200);
    expect(w.cookies.has('mycard_session')).toBe(false);
    expect(pair(await w.get('/v1/session'))).toEqual([401, '4001']);
  });

  it('refuses bad input (2101), the LINE endpoint in dev mode (4004), cross-origin sign-in (4003)', async () => {
    const w = new WalletClient(platform.url);
    expect(pair(await w.post('/v1/session/dev', { userId: 'has space', displayName: 'x' }))).toEqual([
      400,
      '2101',
    ]);
    expect(pair(await w.post('/v1/session/dev', { userId: 'u', displayName: 'x', admin: true }))).toEqual([
      400,
      '2101',
    ]);
    expect(pair(await w.post('/v1/session/line', { idToken: 'x' }))).toEqual([404, '4004']);
    const evil = new WalletClient(platform.url, 'https://evil.example');
    expect(pair(await evil.post('/v1/session/dev', { userId: 'u', displayName: 'x' }))).toEqual([
      403,
      '4003',
    ]);
    const garbage = new WalletClient(platform.url);
    garbage.cookies.set('mycard_session', 'A'.repeat(43));
    expect(pair(await garbage.get('/v1/cards'))).toEqual([401, '4001']);
  });

  it('expires sessions after their lifetime, sliding while used', async () => {
    const w = await platform.wallet('slider');
    clock.advance(6 * 24 * 3600);
    expect((await w.get('/v1/cards')).status).toBe(200); // slides the expiry forward
    clock.advance(6 * 24 * 3600);
    expect((await w.get('/v1/cards')).status).toBe(200);
    clock.advance(8 * 24 * 3600);
    expect(pair(await w.get('/v1/cards'))).toEqual([401, '4001']);
  });

  it('rate-limits session creation per client IP (4029 + Retry-After)', async () => {
    clock.advance(61);
    const w = new WalletClient(platform.url);
    for (let i = 0; i < 6; i++) {
      expect((await w.post('/v1/session/dev', { userId: `ip${i}`, displayName: 'x' })).status).toBe(200);
    }
    const limited = await w.post('/v1/session/dev', { userId: 'ip7', displayName: 'x' });
    expect(pair(limited)).toEqual([429, '4029']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(61);
    expect((await w.post('/v1/session/dev', { userId: 'ip8', displayName: 'x' })).status).toBe(200);
  });
});
