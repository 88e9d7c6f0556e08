import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newChannelSecret } from '../../src/crypto/tokens.js';
import { purgeExpiredNonces } from '../../src/merchant-auth/nonce-store.js';
import { type HttpPlatform, merchantCall, startHttpPlatform } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

/** A UUIDv7 carrying `ms`. */
function uuidv7(ms: number): string {
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7abc-8def-0123456789ab`;
}

describe.each(DIALECTS)('merchant HMAC authentication (PROTOCOL.md §3) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let creds: { channelId: string; channelSecret: string };
  // A signed call that passes authentication answers 3003 (no such card): auth is the only variable.
  const UNBIND = '/v1/cards/unbind';
  const unbindBody = { bindingId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
  const call = (c: typeof creds, tweak: Parameters<typeof merchantCall>[5] = {}) =>
    merchantCall(platform.url, c, 'POST', UNBIND, unbindBody, tweak);
  const pair = (r: { status: number; body: any }) => [r.status, r.body.returnCode];
  const nonces = async () =>
    (await platform.ctx.db.selectFrom('merchant_nonces').select('nonce').execute()).map((r) => r.nonce);

  beforeAll(async () => {
    platform = await startHttpPlatform(
      dialect,
      { rateLimits: { signatureFailuresPerMinute: 8 } },
      { now: clock.now },
    );
    creds = await platform.program();
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('accepts a correctly signed call', async () => {
    expect(pair(await call(creds))).toEqual([404, '3003']);
  });

  it('refuses missing or malformed headers with 1106', async () => {
    for (const omit of ['X-LINE-ChannelId', 'X-LINE-Authorization-Nonce', 'X-LINE-Authorization']) {
      expect(pair(await call(creds, { omit: [omit] }))).toEqual([401, '1106']);
    }
    expect(pair(await call(creds, { headers: { 'X-LINE-ChannelId': '12345' } }))).toEqual([401, '1106']);
    expect(pair(await call(creds, { headers: { 'X-LINE-Authorization-Nonce': 'short' } }))).toEqual([
      401,
      '1106',
    ]);
    expect(
      pair(await call(creds, { headers: { 'X-LINE-Authorization-Nonce': 'bad nonce with spaces!!' } })),
    ).toEqual([401, '1106']);
  });

  it('answers 1101 for an unknown channel', async () => {
    expect(pair(await call({ channelId: '1000000001', channelSecret: creds.channelSecret }))).toEqual([
      401,
      '1101',
    ]);
  });

  it('refuses a wrong secret, a body changed by one byte, another path, with 1106, storing no nonce', async () => {
    const other = await platform.program();
    const creds = await platform.program();
    const before = await nonces();
    const body = JSON.stringify(unbindBody);
    const changed = body.replace('AAAA', 'AAAB');
    const results = [
      await call({ channelId: creds.channelId, channelSecret: other.channelSecret }),
      await call({ channelId: creds.channelId, channelSecret: newChannelSecret() }),
      await call(creds, { rawBody: changed, signedBody: body }),
      await call(creds, { rawBody: `${body} `, signedBody: body }),
      await call(creds, { headers: { 'X-LINE-Authorization': 'A'.repeat(44) } }),
      await call(creds, { headers: { 'X-LINE-Authorization': 'not base64' } }),
    ];
    for (const r of results) expect(pair(r)).toEqual([401, '1106']);
    // Signed for another path.
    const wrongPath = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', unbindBody);
    expect(wrongPath.status).toBe(400); // schema of /v1/cards/profile: auth passed there, body does not fit
    // Only the call that passed authentication consumed its nonce.
    expect((await nonces()).length).toBe(before.length + 1);
    // A nonce of a failed call is not consumed: the same nonce works when signed correctly.
    const nonce = crypto.randomUUID();
    expect(pair(await call({ ...creds, channelSecret: other.channelSecret }, { nonce }))).toEqual([
      401,
      '1106',
    ]);
    expect(pair(await call(creds, { nonce }))).toEqual([404, '3003']);
  });

  it('refuses a replayed nonce (1108) and a time-based nonce outside ±300 s (1108)', async () => {
    const nonce = crypto.randomUUID();
    expect(pair(await call(creds, { nonce }))).toEqual([404, '3003']);
    expect(pair(await call(creds, { nonce }))).toEqual([401, '1108']);
    // The same nonce on another channel is that channel's first use.
    const other = await platform.program();
    expect(pair(await call(other, { nonce }))).toEqual([404, '3003']);
    const t = clock.now().getTime();
    expect(pair(await call(creds, { nonce: uuidv7(t - 301_000) }))).toEqual([401, '1108']);
    expect(pair(await call(creds, { nonce: uuidv7(t + 301_000) }))).toEqual([401, '1108']);
    expect(pair(await call(creds, { nonce: uuidv7(t - 299_000) }))).toEqual([404, '3003']);
  });

  it('accepts the old and the new secret during a rotation overlap, then only the new one', async () => {
    const c = await platform.program();
    const fresh = newChannelSecret();
    const db = platform.ctx.db;
    await db
      .updateTable('program_secrets')
      .set({ expires_at: new Date(clock.now().getTime() + 3600_000).toISOString() })
      .where('channel_id', '=', c.channelId)
      .execute();
    await db
      .insertInto('program_secrets')
      .values({
        channel_id: c.channelId,
        secret_enc: platform.ctx.secrets.seal(fresh, c.channelId),
        created_at: clock.now().toISOString(),
        expires_at: null,
      })
      .execute();
    expect(pair(await call(c))).toEqual([404, '3003']);
    expect(pair(await call({ channelId: c.channelId, channelSecret: fresh }))).toEqual([404, '3003']);
    clock.advance(3601);
    expect(pair(await call(c))).toEqual([401, '1106']);
    expect(pair(await call({ channelId: c.channelId, channelSecret: fresh }))).toEqual([404, '3003']);
  });

  it('answers 1102 for a SUSPENDED program; a DRAFT program works', async () => {
    const suspended = await platform.program({ status: 'SUSPENDED' });
    expect(pair(await call(suspended))).toEqual([403, '1102']);
    const draft = await platform.program({ status: 'DRAFT' });
    expect(pair(await call(draft))).toEqual([404, '3003']);
  });

  it('blocks a channel id after repeated signature failures (4029 + Retry-After) until the window passes', async () => {
    const c = await platform.program();
    const wrong = { channelId: c.channelId, channelSecret: newChannelSecret() };
    for (let i = 0; i < 8; i++) expect(pair(await call(wrong))).toEqual([401, '1106']);
    const blocked = await call(c);
    expect(pair(blocked)).toEqual([429, '4029']);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other channels are unaffected.
    expect(pair(await call(creds))).toEqual([404, '3003']);
    clock.advance(61);
    expect(pair(await call(c))).toEqual([404, '3003']);
  });

  it('signs GET calls over the query string; each path accepts one method', async () => {
    const path = '/v1/onetimekeys/123456789012345678';
    expect(pair(await merchantCall(platform.url, creds, 'GET', path))).toEqual([404, '3010']);
    // A query string that is signed passes auth, then fails the schema; one that is not signed is 1106.
    expect(pair(await merchantCall(platform.url, creds, 'GET', path, undefined, { query: 'a=1' }))).toEqual([
      400,
      '2101',
    ]);
    const unsigned = await fetch(`${platform.url}${path}?a=1`, {
      headers: {
        'X-LINE-ChannelId': creds.channelId,
        'X-LINE-Authorization-Nonce': crypto.randomUUID(),
        'X-LINE-Authorization': 'A'.repeat(43) + '=',
      },
    });
    expect(unsigned.status).toBe(401);
    const wrongMethod = await merchantCall(platform.url, creds, 'GET', '/v1/bindings/apply');
    expect(pair(wrongMethod)).toEqual([404, '4004']);
  });

  it('purges nonces older than the retention', async () => {
    await platform.ctx.db
      .insertInto('merchant_nonces')
      .values({
        channel_id: creds.channelId,
        nonce: 'ancient-nonce-0000',
        created_at: '2000-01-01T00:00:00.000Z',
      })
      .execute();
    expect(await purgeExpiredNonces(platform.ctx)).toBeGreaterThanOrEqual(1);
    expect(await nonces()).not.toContain('ancient-nonce-0000');
  });
});
