import { describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { addCard } from '../helpers/cards.js';
import { code, httpPlatformForBlock, merchantClient } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('live card: conditional GETs and My Code status (§11, issue 11) on %s', (dialect) => {
  const clock = createClock(new Date());
  const platform = httpPlatformForBlock(dialect, {}, { now: clock.now });
  let n = 1500;

  it('answers 304 while a card is unchanged and 200 with the new points once it changes', async () => {
    const creds = await platform.program();
    const w = await platform.wallet('live1');
    const bindingId = await addCard(platform, w, creds, code(n++));
    const client = merchantClient(platform, creds);
    await client.updateProfile({ bindingId, profile: { displayName: 'Lin', points: 10, version: 1 } });
    for (const path of [`/v1/cards/${bindingId}`, '/v1/cards']) {
      const first = await w.get(path);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const same = await w.request('GET', path, undefined, { 'if-none-match': defined(etag) });
      expect(same.status).toBe(304);
      expect(same.body).toBeUndefined();
      // Another tag (or none) gets the body.
      const other = await w.request('GET', path, undefined, { 'if-none-match': 'W/"other"' });
      expect(other.status).toBe(200);
    }
    const before = defined((await w.get(`/v1/cards/${bindingId}`)).headers.get('etag'));
    await client.updateProfile({ bindingId, profile: { points: 25, version: 2 } });
    const changed = await w.request('GET', `/v1/cards/${bindingId}`, undefined, { 'if-none-match': before });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(before);
    expect(changed.body.info.card.profile).toEqual({ displayName: 'Lin', points: 25, version: 2 });
    // Another user's card is still 4003, whatever tag is sent; an error carries no ETag.
    const other = await platform.wallet('live2');
    const foreign = await other.request('GET', `/v1/cards/${bindingId}`, undefined, {
      'if-none-match': before,
    });
    expect([foreign.status, foreign.body.returnCode, foreign.headers.get('etag')]).toEqual([
      403,
      '4003',
      null,
    ]);
  });

  it("tells the wallet its My Code was used (a shop resolved it), only for the key's own user", async () => {
    const creds = await platform.program();
    const w = await platform.wallet('live3');
    await addCard(platform, w, creds, code(n++));
    const { oneTimeKey } = (await w.post('/v1/mycode', {})).body.info;
    const status = () => w.post('/v1/mycode/status', { oneTimeKey });
    expect((await status()).body.info.state).toBe('live');
    const other = await platform.wallet('live4');
    const foreign = await other.post('/v1/mycode/status', { oneTimeKey });
    expect([foreign.status, foreign.body.returnCode]).toEqual([404, '4004']);
    await merchantClient(platform, creds).resolveOneTimeKey(oneTimeKey);
    expect((await status()).body.info.state).toBe('used');
    const second = (await w.post('/v1/mycode', {})).body.info.oneTimeKey;
    clock.advance(301);
    expect((await w.post('/v1/mycode/status', { oneTimeKey: second })).body.info.state).toBe('expired');
    const bad = await w.post('/v1/mycode/status', { oneTimeKey: '123' });
    expect([bad.status, bad.body.returnCode]).toEqual([400, '2101']);
  });
});
