import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { signUp } from '../console/console-client.js';
import {
  code,
  type HttpPlatform,
  merchantCall,
  merchantClient,
  startHttpPlatform,
} from '../helpers/http-platform.js';
import { createClock } from '../helpers/platform.js';

/**
 * What the platform writes to its log during a whole binding and merchant flow, read from the
 * pino stream at the most verbose level: never a channel secret, an X-LINE-Authorization value,
 * a binding / completion token, a session or reservation cookie, a full membership code or a
 * one-time key.
 */
describe('the log never holds secrets', () => {
  const clock = createClock(new Date());
  const lines: string[] = [];
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(
      'sqlite',
      {},
      { now: clock.now, logger: { level: 'trace', stream: { write: (line) => lines.push(line) } } },
    );
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('during sign-in, reserve, apply, callback, preview, complete, profile, My Code, unbind and refusals', async () => {
    const secrets: Record<string, string> = {};
    const op = await signUp(platform, 'logs@shop.example');
    secrets.consoleCookie = defined(op.cookie.split('=')[1]);
    const created = await platform.app.inject({
      method: 'POST',
      url: '/v1/console/programs',
      headers: { cookie: op.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: 'Log Mart',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/bind',
      }),
    });
    const { channelId } = created.json().info.program;
    await platform.app.inject({
      method: 'POST',
      url: `/v1/console/programs/${channelId}/status`,
      headers: { cookie: op.cookie, 'content-type': 'application/json' },
      payload: '{"status":"LIVE"}',
    });
    const rotated = await platform.app.inject({
      method: 'POST',
      url: `/v1/console/programs/${channelId}/secret/rotate`,
      headers: { cookie: op.cookie, 'content-type': 'application/json' },
      payload: '{}',
    });
    const creds = { channelId, channelSecret: rotated.json().info.channelSecret as string };
    secrets.channelSecret = creds.channelSecret;
    secrets.firstSecret = created.json().info.channelSecret;

    const alice = await platform.wallet('alice');
    secrets.session = defined(alice.cookies.get('mycard_session'));
    const r = await alice.reserve(channelId);
    secrets.reservation = defined(alice.cookies.get('mycard_reservation'));
    secrets.bindingToken = r.token;
    secrets.bindingNonce = defined(r.query.get('nonce'));
    const membershipCode = code(4242);
    secrets.membershipCode = membershipCode;
    // A refused Apply (wrong code type) and a refused signature, then the real one.
    await merchantCall(platform.url, creds, 'POST', '/v1/bindings/apply', {
      token: r.token,
      membershipCode: 'x',
    });
    const forged = await merchantCall(
      platform.url,
      { channelId, channelSecret: 'f'.repeat(64) },
      'POST',
      '/v1/bindings/apply',
      { token: r.token, membershipCode },
    );
    expect(forged.status).toBe(401);
    const applied = await merchantClient(platform, creds).apply({
      token: r.token,
      membershipCode,
      profile: { displayName: 'Alice', points: 10, version: 1 },
    });
    secrets.completionToken = applied.completionToken;
    // The browser lands on the wallet callback with the completion token in the query.
    await fetch(
      `${platform.url}/wallet/bindings/callback?token=${applied.completionToken}&channelId=${channelId}&status=SUCCESS`,
    );
    await alice.post('/v1/bindings/preview', { token: applied.completionToken, channelId });
    const done = await alice.post('/v1/bindings/complete', {
      token: applied.completionToken,
      channelId,
      status: 'SUCCESS',
    });
    expect(done.status).toBe(200);
    const bindingId = done.body.info.card.bindingId as string;
    await merchantClient(platform, creds).updateProfile({ bindingId, profile: { points: 20, version: 2 } });
    const key = (await alice.post('/v1/mycode', {})).body.info.oneTimeKey as string;
    secrets.oneTimeKey = key;
    const resolved = await merchantCall(platform.url, creds, 'GET', `/v1/onetimekeys/${key}`);
    expect(resolved.body.info.membershipCode).toBe(membershipCode);
    // A retry while the key is valid answers the same (§6 v1.1): it is logged like the first.
    const replay = await merchantCall(platform.url, creds, 'GET', `/v1/onetimekeys/${key}`);
    expect(replay.body.info).toEqual(resolved.body.info);
    await merchantCall(platform.url, creds, 'POST', '/v1/cards/unbind', { bindingId, reason: 'closed' });
    await alice.delete('/v1/session');

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain(bindingId);
    for (const [name, value] of Object.entries(secrets)) {
      expect(log.includes(value), `${name} in the log`).toBe(false);
    }
    // No signature header value, and no Set-Cookie, appears at all.
    expect(log).not.toMatch(/x-line-authorization"\s*:\s*"(?!\[redacted\])/i);
    expect(log).not.toMatch(/set-cookie/i);
  });
});
