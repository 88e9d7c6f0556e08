import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import {
  DIALECTS,
  startProductionPlatform,
  startTestPlatform,
  type TestPlatform,
} from '../helpers/platform.js';
import { call, PASSWORD, sessionCookie, signUp } from './console-client.js';

describe.each(DIALECTS)('console sessions on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, {
      rateLimits: { consoleLoginFailures: 3 },
      passwordCost: 'standard',
    });
  });
  afterAll(async () => {
    await platform?.close();
  });

  const signIn = (email: string, password: string) =>
    platform.app.inject({ method: 'POST', url: '/v1/console/session', payload: { email, password } });

  it('signs up, signs in, answers /me, signs out', async () => {
    const op = await signUp(platform, 'alice@shop.example');
    const me = await call(platform, op, 'GET', '/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().info.operator).toMatchObject({ email: 'alice@shop.example', displayName: 'alice' });

    const res = await signIn('Alice@Shop.Example', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().returnCode).toBe('0000');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = sessionCookie(res.headers['set-cookie']);
    const second = { ...op, cookie };
    expect((await call(platform, second, 'GET', '/me')).statusCode).toBe(200);

    const out = await call(platform, second, 'DELETE', '/session');
    expect(out.statusCode).toBe(200);
    const after = await call(platform, second, 'GET', '/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().returnCode).toBe('4001');
    // The first session is independent and still valid.
    expect((await call(platform, op, 'GET', '/me')).statusCode).toBe(200);
  });

  it('stores only a scrypt hash of the password and a hash of the session id', async () => {
    const op = await signUp(platform, 'hash@shop.example');
    const row = await platform.ctx.db
      .selectFrom('operators')
      .select('password_hash')
      .where('email', '=', 'hash@shop.example')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(row.password_hash).not.toContain(PASSWORD);
    const token = defined(op.cookie.split('=')[1]);
    const sessions = await platform.ctx.db.selectFrom('operator_sessions').select('id_hash').execute();
    expect(sessions.some((s) => s.id_hash === token)).toBe(false);
  });

  it('refuses a wrong password and an unknown e-mail alike (4001)', async () => {
    await signUp(platform, 'bob@shop.example');
    const wrong = await signIn('bob@shop.example', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ returnCode: '4001', returnMessage: 'Session missing or invalid.' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await signIn('nobody@shop.example', PASSWORD);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().returnCode).toBe('4001');
  });

  it('rate-limits sign-in failures per e-mail (4029 with Retry-After), even for the right password', async () => {
    await signUp(platform, 'carol@shop.example');
    for (let i = 0; i < 3; i++)
      expect((await signIn('carol@shop.example', 'wrong password')).statusCode).toBe(401);
    const limited = await signIn('carol@shop.example', PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().returnCode).toBe('4029');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another e-mail is unaffected.
    await signUp(platform, 'dave@shop.example');
    expect((await signIn('dave@shop.example', PASSWORD)).statusCode).toBe(200);
  });

  it('requires a session (4001) with no cookie or a forged one', async () => {
    for (const cookie of [undefined, 'mycard_console=forged']) {
      const res = await platform.app.inject({
        method: 'GET',
        url: '/v1/console/programs',
        ...(cookie ? { headers: { cookie } } : {}),
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().returnCode).toBe('4001');
    }
  });

  it('refuses a duplicate e-mail (4003) and invalid sign-up fields (2101)', async () => {
    await signUp(platform, 'erin@shop.example');
    const dup = await platform.app.inject({
      method: 'POST',
      url: '/v1/console/signup',
      payload: { email: 'ERIN@shop.example', password: PASSWORD, displayName: 'Erin' },
    });
    expect(dup.statusCode).toBe(403);
    expect(dup.json().returnCode).toBe('4003');
    for (const payload of [
      { email: 'not-an-email', password: PASSWORD, displayName: 'X' },
      { email: 'x@shop.example', password: 'short', displayName: 'X' },
      { email: 'x@shop.example', password: PASSWORD, displayName: '' },
      { email: 'x@shop.example', password: PASSWORD, displayName: 'X', admin: true },
    ]) {
      const res = await platform.app.inject({ method: 'POST', url: '/v1/console/signup', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().returnCode).toBe('2101');
    }
    const count = await platform.ctx.db
      .selectFrom('operators')
      .select('id')
      .where('email', '=', 'x@shop.example')
      .execute();
    expect(count).toHaveLength(0);
  });

  it('refuses cross-origin state changes (CSRF, 4003)', async () => {
    const res = await platform.app.inject({
      method: 'POST',
      url: '/v1/console/session',
      headers: { origin: 'https://evil.example' },
      payload: { email: 'alice@shop.example', password: PASSWORD },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().returnCode).toBe('4003');
    const form = await platform.app.inject({
      method: 'POST',
      url: '/v1/console/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=alice%40shop.example&password=x',
    });
    expect(form.statusCode).toBe(403);
    expect(form.json().returnCode).toBe('4003');
  });
});

describe('console sign-in rate limit per client IP', () => {
  it('answers 4029 with Retry-After once one address exceeds sessionPerMinute, for any e-mail', async () => {
    const platform = await startTestPlatform('sqlite', { rateLimits: { sessionPerMinute: 3 } });
    try {
      const attempt = (email: string, ip: string) =>
        platform.app.inject({
          method: 'POST',
          url: '/v1/console/session',
          payload: { email, password: 'whatever password' },
          remoteAddress: ip,
        });
      for (let i = 0; i < 3; i++)
        expect((await attempt(`u${i}@shop.example`, '192.0.2.1')).statusCode).toBe(401);
      const limited = await attempt('u9@shop.example', '192.0.2.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().returnCode).toBe('4029');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt('u9@shop.example', '192.0.2.2')).statusCode).toBe(401);
    } finally {
      await platform.close();
    }
  });
});

describe('console sign-up in production', () => {
  const signup = (platform: TestPlatform) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/console/signup',
      payload: { email: 'p@shop.example', password: PASSWORD, displayName: 'P' },
    });

  it('is closed (4004) unless consoleSignup is set; the session cookie is Secure on https', async () => {
    const closed = await startProductionPlatform('sqlite', { consoleSignup: false });
    try {
      const res = await signup(closed);
      expect(res.statusCode).toBe(404);
      expect(res.json().returnCode).toBe('4004');
    } finally {
      await closed.close();
    }
    const open = await startProductionPlatform('sqlite', { consoleSignup: true });
    try {
      const res = await signup(open);
      expect(res.statusCode).toBe(201);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await open.close();
    }
  });
});
