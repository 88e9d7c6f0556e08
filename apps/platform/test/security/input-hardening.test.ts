import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDuplicateJsonKey } from '../../src/http/duplicate-json-key.js';
import { addCard } from '../helpers/cards.js';
import { code, type HttpPlatform, merchantCall, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

/** Issue 9.8: duplicate JSON keys, hostile profile values, key guessing, slow clients. */
describe.each(DIALECTS)('input hardening on %s', (dialect) => {
  let platform: HttpPlatform;
  let creds: { channelId: string; channelSecret: string };
  let bindingId: string;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { rateLimits: { oneTimeKeyFailuresPerMinute: 3 } });
    creds = await platform.program();
    bindingId = await addCard(platform, await platform.wallet('inputs'), creds, code(9101));
    const first = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', {
      bindingId,
      profile: { displayName: 'Alice', points: 10, version: 1 },
    });
    expect(first.body.returnCode).toBe('0000');
  });
  afterAll(async () => {
    await platform?.close();
  });
  const storedProfile = async () =>
    await platform.ctx.db
      .selectFrom('bindings')
      .select(['profile', 'profile_version'])
      .where('id', '=', bindingId)
      .executeTakeFirstOrThrow();

  it('refuses a body with a key twice in one object (2101), signed or not; nothing changes', async () => {
    const before = await storedProfile();
    for (const raw of [
      `{"bindingId":"${bindingId}","profile":{"points":99,"version":5},"bindingId":"${'x'.repeat(22)}"}`,
      `{"bindingId":"${bindingId}","profile":{"points":1,"points":99,"version":5}}`,
      `{"bindingId":"${bindingId}","profile":{"points":1,"\\u0070oints":99,"version":5}}`,
    ]) {
      const res = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', undefined, {
        rawBody: raw,
      });
      expect([res.status, res.body.returnCode], raw).toEqual([400, '2101']);
    }
    expect(await storedProfile()).toEqual(before);
  });

  it('refuses negative or fractional points, control characters and bidi overrides in card text (2101)', async () => {
    const before = await storedProfile();
    for (const profile of [
      { points: -5, version: 6 },
      { points: 1.5, version: 6 },
      { displayName: 'Ali\u0007ce', version: 6 },
      { displayName: 'Ali\nce', version: 6 },
      { level: 'Gold\u202Edlog', version: 6 },
      { level: '\u2066Gold', version: 6 },
      { displayName: 'x\u0085', version: 6 },
    ]) {
      const res = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', {
        bindingId,
        profile,
      });
      expect([res.status, res.body.returnCode], JSON.stringify(profile)).toEqual([400, '2101']);
    }
    expect(await storedProfile()).toEqual(before);
    const ok = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', {
      bindingId,
      profile: { displayName: 'アリス', level: 'ゴールド', points: 0, version: 7 },
    });
    expect(ok.body.returnCode).toBe('0000');
  });

  it('counts failed one-time-key lookups per channel: the 4th within a minute is 4029, other channels unaffected', async () => {
    const guess = (c: typeof creds, n: number) =>
      merchantCall(platform.url, c, 'GET', `/v1/onetimekeys/${String(100000000000000000 + n)}`);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await guess(creds, i)).body.returnCode);
    expect(codes).toEqual(['3010', '3010', '3010', '4029', '4029']);
    const other = await platform.program();
    expect((await guess(other, 1)).body.returnCode).toBe('3010');
  });
});

describe('slow and idle connections are closed', () => {
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('a client that never finishes its headers is disconnected (headersTimeout), not kept open', async () => {
    const { port } = new URL(platform.url);
    const socket = connect({ port: Number(port), host: '127.0.0.1' });
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const closed = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => {
        data += d;
      });
      socket.once('close', () => resolve(data));
      // The test fails (by its own timeout) if the server keeps the connection.
    });
    expect(closed === '' || closed.startsWith('HTTP/1.1 408')).toBe(true);
  }, 20_000);
});

describe('duplicate key finder', () => {
  it('finds keys twice in one object at any depth, decoded; not across objects or in strings', () => {
    expect(findDuplicateJsonKey('{"a":1,"b":{"c":1,"c":2}}')).toBe('c');
    expect(findDuplicateJsonKey('{"a":1,"\\u0061":2}')).toBe('a');
    expect(findDuplicateJsonKey('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(findDuplicateJsonKey('{"a":"\\"a\\":","b":["a","a"]}')).toBeUndefined();
    expect(findDuplicateJsonKey('{"a":{"a":{"a":1}}}')).toBeUndefined();
  });
});
