import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../console/console-client.js';
import { type HttpPlatform, startHttpPlatform } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

/**
 * Text that a database cannot store as sent (NUL; PostgreSQL refuses it) or that UTF-8 cannot
 * carry (a lone surrogate, silently replaced) is refused with 2101 by the shared input rules, on
 * wallet, console and query-string input alike — never a 500, never a silently changed value.
 */
describe.each(DIALECTS)('unsafe text in requests on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, {}, { now: clock.now });
    await platform.program();
  });
  afterAll(async () => {
    await platform?.close();
  });
  const pair = (r: { status: number; body: any }) => [r.status, r.body?.returnCode];
  const users = async () => platform.ctx.db.selectFrom('wallet_users').selectAll().execute();

  it.each([
    ['a NUL', 'Eve\u0000'],
    ['a lone high surrogate', 'Eve\ud83d'],
    ['a lone low surrogate', '\ude00Eve'],
  ])('refuses %s in a wallet sign-in (400 2101), storing no user', async (_label, displayName) => {
    const w = await platform.wallet('probe');
    const before = await users();
    const res = await w.post('/v1/session/dev', { userId: 'eve', displayName });
    expect(pair(res)).toEqual([400, '2101']);
    expect(await users()).toEqual(before);
  });

  it('still accepts any well-formed Unicode (emoji, CJK, RTL) unchanged', async () => {
    const w = await platform.wallet('probe');
    const displayName = '山田 🌸 שלום';
    const res = await w.post('/v1/session/dev', { userId: 'yamada', displayName });
    expect(res.status).toBe(200);
    expect(res.body.info.displayName).toBe(displayName);
  });

  it('refuses a NUL in a query string (400 2101) after authentication', async () => {
    const w = await platform.wallet('probe');
    expect(pair(await w.get('/v1/programs?query=%00'))).toEqual([400, '2101']);
    expect(pair(await w.get('/v1/programs?query=a%ED%A0%80'))).toEqual([200, '0000']);
    // Without a session the answer is still 4001: the rule runs after authentication.
    const res = await fetch(`${platform.url}/v1/programs?query=%00`);
    expect(res.status).toBe(401);
  });

  it('refuses a NUL in console input (400 2101), creating no program', async () => {
    const op = await signUp(platform, 'nul@shop.example');
    const before = await platform.ctx.db.selectFrom('programs').selectAll().execute();
    const res = await platform.app.inject({
      method: 'POST',
      url: '/v1/console/programs',
      headers: { cookie: op.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: 'Shop\u0000',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/bind',
      }),
    });
    expect([res.statusCode, res.json().returnCode]).toEqual([400, '2101']);
    expect(await platform.ctx.db.selectFrom('programs').selectAll().execute()).toEqual(before);
  });
});
