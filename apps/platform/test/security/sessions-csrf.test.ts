import { createSignatureHeaders } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { sendMessage } from '../../src/flows/messages/send-message.js';
import { createProgram } from '../../src/programs/program-repository.js';
import type { Database } from '../../src/store/schema.js';
import { IMAGES, signUp } from '../console/console-client.js';
import { code } from '../helpers/http-platform.js';
import { createClock, DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const PUBLIC_URL = 'https://mycard.example';
const TABLES: (keyof Database)[] = [
  'operators',
  'operator_sessions',
  'wallet_users',
  'wallet_sessions',
  'programs',
  'program_secrets',
  'program_testers',
  'program_logos',
  'bindings',
  'one_time_keys',
  'webhook_outbox',
  'card_messages',
  'card_mutes',
  'bundles',
  'bundle_banners',
  'bundle_programs',
  'bundle_bindings',
  'bundle_views',
];

/** Every row of every table a wallet or console call can change, for "nothing was stored" checks. */
async function dump(platform: TestPlatform) {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await platform.ctx.db.selectFrom(table).selectAll().execute();
  return out;
}

function cookieOf(setCookie: string | string[] | undefined, name: string): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return all.find((c) => c.startsWith(`${name}=`));
}

/**
 * Sessions, cookies and CSRF of the wallet and console APIs (PROTOCOL.md §5; docs/protocol-notes.md,
 * "Sessions and cookies"), on an https public URL so that every cookie must carry `Secure`.
 */
describe.each(DIALECTS)('sessions and CSRF on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: TestPlatform;
  let wallet: string;
  let reservation: string;
  let consoleCookie: string;
  let channelId: string;
  let bindingId: string;
  const origin = { origin: PUBLIC_URL };
  const inject = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    platform.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  const pair = (r: { statusCode: number; json(): any }) => [r.statusCode, r.json().returnCode];

  async function signIn(userId: string) {
    const res = await inject('POST', '/v1/session/dev', origin, { userId, displayName: userId });
    expect(res.statusCode).toBe(200);
    return defined(cookieOf(res.headers['set-cookie'], 'mycard_session'));
  }

  beforeAll(async () => {
    platform = await startTestPlatform(
      dialect,
      { publicUrl: PUBLIC_URL, rateLimits: { sessionPerMinute: 1000, reservePerMinute: 1000 } },
      { now: clock.now },
    );
    const op = await signUp(platform, 'owner@shop.example');
    consoleCookie = op.cookie;
    const { program, channelSecret } = await createProgram(platform.ctx, {
      name: 'Demo Mart',
      codeType: 'EAN13',
      bindingUrl: 'https://shop.example/bind',
      status: 'LIVE',
      operatorId: op.id,
    });
    channelId = program.channelId;
    const sessionSetCookie = await signIn('alice');
    wallet = defined(sessionSetCookie.split(';')[0]);
    const reserve = await inject('POST', '/v1/bindings', { ...origin, cookie: wallet }, { channelId });
    expect(reserve.statusCode).toBe(201);
    reservation = defined(
      defined(cookieOf(reserve.headers['set-cookie'], 'mycard_reservation')).split(';')[0],
    );
    const token = defined(new URL(reserve.json().info.redirectUrl).searchParams.get('token'));
    // Apply: a signed merchant call over inject.
    const body = JSON.stringify({ token, membershipCode: code(1) });
    const applied = await inject(
      'POST',
      '/v1/bindings/apply',
      {
        ...(await createSignatureHeaders({
          channelId,
          channelSecret,
          path: '/v1/bindings/apply',
          payload: body,
          nonce: crypto.randomUUID(),
        })),
        'content-type': 'application/json',
      },
      body,
    );
    expect(applied.statusCode).toBe(200);
    const done = await inject(
      'POST',
      '/v1/bindings/complete',
      { ...origin, cookie: `${wallet}; ${reservation}` },
      { token: applied.json().info.completionToken, channelId, status: 'SUCCESS' },
    );
    expect(done.statusCode).toBe(200);
    bindingId = done.json().info.card.bindingId;
    // A message in the inbox, so that a forged "read" would have something to change.
    const sent = await sendMessage(platform.ctx, channelId, {
      bindingId,
      messageId: 'welcome-1',
      title: 'Welcome',
      body: 'Hello',
    });
    expect('sent' in sent).toBe(true);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('sets every cookie HttpOnly and Secure on https, with the documented SameSite and Path', async () => {
    const session = await signIn('bob');
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/Secure/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Path=\/(;|$)/);
    const reserve = await inject(
      'POST',
      '/v1/bindings',
      { ...origin, cookie: defined(session.split(';')[0]) },
      { channelId },
    );
    const res = defined(cookieOf(reserve.headers['set-cookie'], 'mycard_reservation'));
    expect(res).toMatch(/HttpOnly/i);
    expect(res).toMatch(/Secure/i);
    expect(res).toMatch(/SameSite=Lax/i);
    expect(res).toMatch(/Path=\/v1\/bindings(;|$)/);
    const signin = await inject('POST', '/v1/console/session', origin, {
      email: 'owner@shop.example',
      password: 'correct horse battery staple',
    });
    const console = defined(cookieOf(signin.headers['set-cookie'], 'mycard_console'));
    expect(console).toMatch(/HttpOnly/i);
    expect(console).toMatch(/Secure/i);
    expect(console).toMatch(/SameSite=Strict/i);
    expect(console).toMatch(/Path=\/(;|$)/);
  });

  it('ignores a session id chosen by an attacker (fixation): 4001, and sign-in issues a fresh one', async () => {
    const chosen = 'A'.repeat(43);
    expect(pair(await inject('GET', '/v1/session', { cookie: `mycard_session=${chosen}` }))).toEqual([
      401,
      '4001',
    ]);
    const res = await inject(
      'POST',
      '/v1/session/dev',
      { ...origin, cookie: `mycard_session=${chosen}` },
      { userId: 'victim', displayName: 'Victim' },
    );
    expect(res.statusCode).toBe(200);
    const issued = defined(defined(cookieOf(res.headers['set-cookie'], 'mycard_session')).split(';')[0]);
    expect(issued).not.toBe(`mycard_session=${chosen}`);
    expect(pair(await inject('GET', '/v1/session', { cookie: `mycard_session=${chosen}` }))).toEqual([
      401,
      '4001',
    ]);
    const consoleChosen = await inject('GET', '/v1/console/me', { cookie: `mycard_console=${chosen}` });
    expect(pair(consoleChosen)).toEqual([401, '4001']);
  });

  it('DELETE /v1/session and DELETE /v1/console/session end the session on the server', async () => {
    const session = defined((await signIn('carol')).split(';')[0]);
    expect((await inject('GET', '/v1/session', { cookie: session })).statusCode).toBe(200);
    const out = await inject('DELETE', '/v1/session', { ...origin, cookie: session });
    expect(out.statusCode).toBe(200);
    // The old value replayed (a stolen cookie) no longer works.
    expect(pair(await inject('GET', '/v1/session', { cookie: session }))).toEqual([401, '4001']);
    expect(pair(await inject('GET', '/v1/cards', { cookie: session }))).toEqual([401, '4001']);

    const signin = await inject('POST', '/v1/console/session', origin, {
      email: 'owner@shop.example',
      password: 'correct horse battery staple',
    });
    const op = defined(defined(cookieOf(signin.headers['set-cookie'], 'mycard_console')).split(';')[0]);
    expect((await inject('GET', '/v1/console/me', { cookie: op })).statusCode).toBe(200);
    expect((await inject('DELETE', '/v1/console/session', { ...origin, cookie: op })).statusCode).toBe(200);
    expect(pair(await inject('GET', '/v1/console/me', { cookie: op }))).toEqual([401, '4001']);
  });

  it('refuses an expired wallet session (4001)', async () => {
    const session = defined((await signIn('dave')).split(';')[0]);
    clock.advance(platform.config.walletSessionTtl + 1);
    try {
      expect(pair(await inject('GET', '/v1/cards', { cookie: session }))).toEqual([401, '4001']);
    } finally {
      clock.advance(-(platform.config.walletSessionTtl + 1));
    }
  });

  it('keeps console and wallet sessions apart: neither cookie opens the other API', async () => {
    const walletValue = defined(wallet.split('=')[1]);
    const consoleValue = defined(consoleCookie.split('=')[1]);
    expect(pair(await inject('GET', '/v1/console/me', { cookie: `mycard_console=${walletValue}` }))).toEqual([
      401,
      '4001',
    ]);
    expect(pair(await inject('GET', '/v1/console/programs', { cookie: wallet }))).toEqual([401, '4001']);
    expect(pair(await inject('GET', '/v1/cards', { cookie: `mycard_session=${consoleValue}` }))).toEqual([
      401,
      '4001',
    ]);
    expect(pair(await inject('GET', '/v1/cards', { cookie: consoleCookie }))).toEqual([401, '4001']);
  });

  /**
   * Every state-changing wallet and console route, taken from the OpenAPI document so that a new
   * route is covered without editing this test; merchant (HMAC) routes are not cookie-authenticated.
   */
  function stateChangingRoutes() {
    const doc = platform.app.swagger() as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
    };
    const routes: { method: string; url: string; image: boolean }[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
        if (op.security?.some((s) => 'merchantHmac' in s)) continue;
        const url = path
          .replace('{channelId}', channelId)
          .replace('{bindingId}', bindingId)
          // No delivery exists: the CSRF / session refusal must come before the lookup anyway.
          .replace('{eventId}', 'evt_0000000000000000000000')
          .replace('{noticeId}', '1')
          .replace('{reviewId}', 'rv_AAAAAAAAAAAAAAAA')
          .replace('{reportId}', 'rp_AAAAAAAAAAAAAAAA')
          .replace('{organizationId}', 'org_AAAAAAAAAAAAAAAA')
          .replace('{invitationId}', 'inv_AAAAAAAAAAAAAAAA')
          .replace('{operatorId}', 'op_AAAAAAAAAAAAAAAA')
          .replace('{messageId}', 'welcome-1')
          .replace('{participantId}', 'pt_AAAAAAAAAAAAAAAA')
          .replace('{bundleId}', 'bd_AAAAAAAAAAAAAAAA');
        expect(url, `unfilled parameter in ${path}`).not.toMatch(/[{}]/);
        routes.push({
          method: method.toUpperCase(),
          url,
          image: url.endsWith('/logo') || url.endsWith('/banner'),
        });
      }
    }
    return routes;
  }

  it('lists the state-changing routes it checks', () => {
    const routes = stateChangingRoutes().map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes).toContain('POST /v1/bindings');
    expect(routes).toContain(`DELETE /v1/cards/${bindingId}`);
    expect(routes).toContain(`PUT /v1/console/programs/${channelId}/logo`);
    expect(routes).toContain('POST /v1/console/invitations/accept');
    expect(routes).toContain(
      'DELETE /v1/console/organizations/org_AAAAAAAAAAAAAAAA/members/op_AAAAAAAAAAAAAAAA',
    );
  });

  it.each([
    ['a cross-site Origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['a same-site (sibling) Origin', { origin: 'https://shop.mycard.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    [
      'the right Origin but Sec-Fetch-Site: cross-site',
      { origin: PUBLIC_URL, 'sec-fetch-site': 'cross-site' },
    ],
  ])(
    'refuses every state-changing wallet and console route with %s: 403 4003, nothing stored',
    async (_l, headers) => {
      const before = await dump(platform);
      for (const route of stateChangingRoutes()) {
        const res = await platform.app.inject({
          method: route.method as 'POST',
          url: route.url,
          headers: {
            ...headers,
            cookie: `${wallet}; ${reservation}; ${consoleCookie}`,
            'content-type': route.image ? 'image/png' : 'application/json',
          },
          payload: route.image ? IMAGES.png : '{}',
        });
        expect([route.method, route.url, res.statusCode, res.json().returnCode]).toEqual([
          route.method,
          route.url,
          403,
          '4003',
        ]);
      }
      expect(await dump(platform)).toEqual(before);
    },
  );

  it('refuses a form-encoded or text/plain body (a cross-site form needs no preflight): 403 4003', async () => {
    const before = await dump(platform);
    for (const route of stateChangingRoutes().filter((r) => !r.image && r.method !== 'DELETE')) {
      for (const type of [
        'application/x-www-form-urlencoded',
        'text/plain',
        'multipart/form-data; boundary=x',
      ]) {
        const res = await platform.app.inject({
          method: route.method as 'POST',
          url: route.url,
          headers: { cookie: `${wallet}; ${reservation}; ${consoleCookie}`, 'content-type': type },
          payload: 'a=1',
        });
        expect([route.url, type, res.statusCode, res.json().returnCode]).toEqual([
          route.url,
          type,
          403,
          '4003',
        ]);
      }
    }
    expect(await dump(platform)).toEqual(before);
  });
});
