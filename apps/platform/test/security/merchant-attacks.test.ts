import { createSignatureHeaders } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { signCardContext } from '../../src/bindings/card-context-token.js';
import { addCard } from '../helpers/cards.js';
import {
  type ApiResponse,
  code,
  type HttpPlatform,
  merchantCall,
  merchantClient,
  startHttpPlatform,
} from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

type Creds = { channelId: string; channelSecret: string };
const pair = (r: ApiResponse) => [r.status, r.body?.returnCode];

/**
 * The merchant API (PROTOCOL.md §3, §4.5, §6) as an attacker sees it: every refusal has its exact
 * return code and HTTP status, and leaves the database as it was.
 */
describe.each(DIALECTS)('merchant API under attack on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let a: Creds;
  let b: Creds;
  let cardOfB: string;
  /** The binding-area tables, the profile and state of B's card, and the stored nonces. */
  const snapshot = async () => {
    const card = await platform.ctx.db
      .selectFrom('bindings')
      .select(['state', 'profile', 'profile_version', 'end_reason'])
      .where('id', '=', cardOfB)
      .executeTakeFirst();
    return { counts: await platform.counts(), card };
  };

  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, {}, { now: clock.now });
    a = await platform.program({ name: 'Shop A' });
    b = await platform.program({ name: 'Shop B' });
    const bob = await platform.wallet('bob');
    cardOfB = await addCard(platform, bob, b, code(7));
  });
  afterAll(async () => {
    await platform?.close();
  });

  it("never lets channel A read or change channel B's card (profile, unbind, one-time keys)", async () => {
    const before = await snapshot();
    const profile = await merchantCall(platform.url, a, 'POST', '/v1/cards/profile', {
      bindingId: cardOfB,
      profile: { displayName: 'pwned', version: 99 },
    });
    expect(pair(profile)).toEqual([404, '3003']);
    const unbind = await merchantCall(platform.url, a, 'POST', '/v1/cards/unbind', { bindingId: cardOfB });
    expect(pair(unbind)).toEqual([404, '3003']);
    const bob = await platform.wallet('bob');
    const key = (await bob.post('/v1/mycode', {})).body.info.oneTimeKey as string;
    const resolve = await merchantCall(platform.url, a, 'GET', `/v1/onetimekeys/${key}`);
    expect(pair(resolve)).toEqual([404, '3011']);
    expect(JSON.stringify([profile.body, unbind.body, resolve.body])).not.toContain(code(7));
    const after = await snapshot();
    expect(after.card).toEqual(before.card);
    expect(after.counts.one_time_key_uses).toBe(before.counts.one_time_key_uses);
    // B itself still resolves the key: A's attempt did not use it up.
    expect(pair(await merchantCall(platform.url, b, 'GET', `/v1/onetimekeys/${key}`))).toEqual([200, '0000']);
  });

  it.each([
    ['wrong type', { bindingId: 42, reason: 'x' }],
    ['too long', { bindingId: 'A'.repeat(41) }],
    ['unknown field', { bindingId: 'A'.repeat(32), admin: true }],
    ['a __proto__ key', '{"bindingId":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","__proto__":{"admin":true}}'],
    ['a constructor key', '{"bindingId":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","constructor":{"prototype":{}}}'],
    ['a NUL in a string', { bindingId: 'placeholder', reason: 'spam\u0000' }],
    ['a lone surrogate', { bindingId: 'placeholder', reason: 'x\ud800y' }],
    ['not JSON', '{"bindingId":'],
    ['a JSON array', '[]'],
    ['deep nesting', `${'['.repeat(4000)}${']'.repeat(4000)}`],
  ])('refuses a body with %s: 400 2101, nothing stored', async (_label, body) => {
    const raw =
      typeof body === 'string'
        ? body
        : JSON.stringify(body).replace('"placeholder"', JSON.stringify(cardOfB));
    const before = await snapshot();
    const res = await merchantCall(platform.url, b, 'POST', '/v1/cards/unbind', undefined, {
      rawBody: raw,
      signedBody: raw,
    });
    expect(pair(res)).toEqual([400, '2101']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bytes that are not UTF-8 (2101) instead of storing replacement characters', async () => {
    const before = await snapshot();
    const bytes = Buffer.concat([
      Buffer.from(`{"bindingId":"${cardOfB}","profile":{"displayName":"`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","version":50}}'),
    ]);
    const headers = await createSignatureHeaders({
      ...b,
      path: '/v1/cards/profile',
      payload: bytes,
      nonce: crypto.randomUUID(),
    });
    const res = await fetch(`${platform.url}/v1/cards/profile`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: bytes,
    });
    expect([res.status, (await res.json()).returnCode]).toEqual([400, '2101']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body over 16 KiB (413 2102), a non-JSON media type (415 2101) and an empty body (400 2101)', async () => {
    const before = await snapshot();
    const big = JSON.stringify({ bindingId: cardOfB, reason: 'x'.repeat(16 * 1024) });
    const tooBig = await merchantCall(platform.url, b, 'POST', '/v1/cards/unbind', undefined, {
      rawBody: big,
      signedBody: big,
    });
    expect(pair(tooBig)).toEqual([413, '2102']);
    const form = `bindingId=${cardOfB}`;
    const asForm = await merchantCall(platform.url, b, 'POST', '/v1/cards/unbind', undefined, {
      rawBody: form,
      signedBody: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(pair(asForm)).toEqual([415, '2101']);
    const empty = await merchantCall(platform.url, b, 'POST', '/v1/cards/unbind', undefined, {
      rawBody: '',
      signedBody: '',
    });
    expect(pair(empty)).toEqual([400, '2101']);
    expect(await snapshot()).toEqual(before);
  });

  it('serves only the canonical path: case, slashes and percent-encoding neither route nor authenticate', async () => {
    const bob = await platform.wallet('bob');
    const key = (await bob.post('/v1/mycode', {})).body.info.oneTimeKey as string;
    const before = await snapshot();
    const body = JSON.stringify({ bindingId: cardOfB, profile: { displayName: 'x', version: 1000 } });
    for (const path of [
      '/v1/Cards/profile',
      '/v1/cards/profile/',
      '//v1/cards/profile',
      '/v1//cards/profile',
      '/v1/cards/%70rofile',
      '/v1/cards/profile%2F',
      '/V1/cards/profile',
    ]) {
      // Signed exactly as sent, so only routing decides.
      const headers = await createSignatureHeaders({
        ...b,
        path,
        payload: body,
        nonce: crypto.randomUUID(),
      });
      const res = await fetch(platform.url + path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      });
      expect([path, res.status, (await res.json()).returnCode]).toEqual([path, 404, '4004']);
    }
    // A percent-encoded one-time key is not an alias of the key either.
    const encoded = `/v1/onetimekeys/${[...key].map((d) => `%3${d}`).join('')}`;
    expect(pair(await merchantCall(platform.url, b, 'GET', encoded))).toEqual([404, '4004']);
    expect(await snapshot()).toEqual(before);
    expect(pair(await merchantCall(platform.url, b, 'GET', `/v1/onetimekeys/${key}`))).toEqual([200, '0000']);
  });

  it('refuses a GET whose query string was not signed, duplicate auth headers, and a re-serialized body', async () => {
    const before = await snapshot();
    const path = '/v1/onetimekeys/123456789012345678';
    const signedWithout = await createSignatureHeaders({
      ...b,
      path,
      payload: '',
      nonce: crypto.randomUUID(),
    });
    const q = await fetch(`${platform.url}${path}?x=1`, { headers: signedWithout });
    expect([q.status, (await q.json()).returnCode]).toEqual([401, '1106']);

    const body = JSON.stringify({ bindingId: cardOfB, profile: { version: 1001 } });
    const headers = await createSignatureHeaders({
      ...b,
      path: '/v1/cards/profile',
      payload: body,
      nonce: crypto.randomUUID(),
    });
    for (const name of ['X-LINE-ChannelId', 'X-LINE-Authorization-Nonce', 'X-LINE-Authorization']) {
      const h = new Headers({ ...headers, 'content-type': 'application/json' });
      h.append(name, defined(headers[name]));
      const res = await fetch(`${platform.url}/v1/cards/profile`, { method: 'POST', headers: h, body });
      expect([name, res.status, (await res.json()).returnCode]).toEqual([name, 401, '1106']);
    }
    // The same JSON value with other whitespace: the signature was over other bytes.
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const reserialized = await merchantCall(platform.url, b, 'POST', '/v1/cards/profile', undefined, {
      rawBody: pretty,
      signedBody: body,
    });
    expect(pair(reserialized)).toEqual([401, '1106']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a card context (3001) where a binding token is expected: Apply and CANCEL', async () => {
    const alice = await platform.wallet('alice');
    const r = await alice.reserve(a.channelId);
    const claims = JSON.parse(Buffer.from(defined(r.token.split('.')[1]), 'base64url').toString());
    // Everything a binding token has, plus the card context's own claims: only `typ` differs.
    const context = await signCardContext(
      { ...claims, bindingId: r.bindingId, membershipCode: code(9) },
      platform.ctx.keys.current(),
    );
    const before = await platform.counts();
    const apply = await merchantCall(platform.url, a, 'POST', '/v1/bindings/apply', {
      token: context,
      membershipCode: code(9),
    });
    expect(pair(apply)).toEqual([400, '3001']);
    const cancel = await alice.post('/v1/bindings/complete', {
      token: context,
      channelId: a.channelId,
      status: 'CANCEL',
    });
    expect(pair(cancel)).toEqual([400, '3001']);
    expect(await platform.counts()).toEqual(before);
  });

  it('keeps binding and completion tokens apart: neither is accepted in the other place', async () => {
    const carol = await platform.wallet('carol');
    const r = await carol.reserve(a.channelId);
    // A binding token (what the merchant got, and sends back on CANCEL) is not a completion token.
    const before = await platform.counts();
    for (const path of ['/v1/bindings/complete', '/v1/bindings/preview']) {
      const res = await carol.post(path, {
        token: r.token,
        channelId: a.channelId,
        ...(path.endsWith('complete') ? { status: 'SUCCESS' } : {}),
      });
      expect([path, ...pair(res)]).toEqual([path, 404, '3003']);
    }
    expect(await platform.counts()).toEqual(before);
    // A completion token is not a binding token at Apply.
    const applied = await merchantClient(platform, a).apply({ token: r.token, membershipCode: code(11) });
    const mid = await platform.counts();
    const reuse = await merchantCall(platform.url, a, 'POST', '/v1/bindings/apply', {
      token: applied.completionToken,
      membershipCode: code(11),
    });
    expect(pair(reuse)).toEqual([400, '3001']);
    expect(await platform.counts()).toEqual(mid);
  });

  it('lets an attacker lock a channel out only for one window: hammering while blocked does not extend it', async () => {
    const victim = await platform.program({ name: 'Victim' });
    const forged = { channelId: victim.channelId, channelSecret: 'f'.repeat(64) };
    const limit = platform.config.rateLimits.signatureFailuresPerMinute;
    const nonces = async () =>
      (await platform.ctx.db.selectFrom('merchant_nonces').select('nonce').execute()).length;
    const before = await nonces();
    for (let i = 0; i < limit; i++) {
      expect(
        pair(await merchantCall(platform.url, forged, 'POST', '/v1/cards/unbind', { bindingId: cardOfB })),
      ).toEqual([401, '1106']);
    }
    const blocked = await merchantCall(platform.url, victim, 'POST', '/v1/cards/unbind', {
      bindingId: cardOfB,
    });
    expect(pair(blocked)).toEqual([429, '4029']);
    expect(Number(blocked.headers.get('retry-after'))).toBe(60);
    clock.advance(30);
    for (let i = 0; i < 5; i++) {
      expect(
        pair(await merchantCall(platform.url, forged, 'POST', '/v1/cards/unbind', { bindingId: cardOfB })),
      ).toEqual([429, '4029']);
    }
    clock.advance(30);
    // The window ended: the real merchant is served again (3003: B's card is not the victim's).
    expect(
      pair(await merchantCall(platform.url, victim, 'POST', '/v1/cards/unbind', { bindingId: cardOfB })),
    ).toEqual([404, '3003']);
    expect(await nonces()).toBe(before + 1);
  });

  it('does not grow with a flood of unknown channel ids (1101, nothing stored)', async () => {
    const before = await snapshot();
    const nonces = await platform.ctx.db.selectFrom('merchant_nonces').selectAll().execute();
    for (let i = 0; i < 200; i++) {
      const stranger = { channelId: String(9_000_000_000 + i), channelSecret: 'f'.repeat(64) };
      const res = await merchantCall(platform.url, stranger, 'POST', '/v1/cards/unbind', {
        bindingId: cardOfB,
      });
      expect(pair(res)).toEqual([401, '1101']);
    }
    expect(await snapshot()).toEqual(before);
    expect(await platform.ctx.db.selectFrom('merchant_nonces').selectAll().execute()).toEqual(nonces);
  });

  it('answers 9000 with no detail when something unexpected fails', async () => {
    const secret = b.channelSecret;
    const db = platform.ctx.db as unknown as Record<'selectFrom' | 'executeQuery', unknown>;
    const original = { selectFrom: db.selectFrom, executeQuery: db.executeQuery };
    // Both ways a query is sent: built per call, and compiled once (executeQuery).
    db.selectFrom = db.executeQuery = () => {
      throw new Error(`boom: connection to postgres://admin:${secret}@db failed`);
    };
    try {
      const res = await merchantCall(platform.url, b, 'POST', '/v1/cards/unbind', { bindingId: cardOfB });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ returnCode: '9000', returnMessage: 'Internal error.' });
    } finally {
      Object.assign(db, original);
    }
  });
});
