import { describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { addCard } from '../helpers/cards.js';
import {
  apiError,
  code,
  httpPlatformForBlock,
  merchantCall,
  merchantClient,
} from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('merchant card API and one-time keys (PROTOCOL.md §5–§6) on %s', (dialect) => {
  const clock = createClock(new Date());
  const platform = httpPlatformForBlock(dialect, {}, { now: clock.now });
  let n = 900;
  const clientOf = (creds: { channelId: string; channelSecret: string }) => merchantClient(platform, creds);

  it('orders profile updates by version (3008) and refuses cards it does not own (3003)', async () => {
    const creds = await platform.program();
    const other = await platform.program();
    const w = await platform.wallet('p1');
    const bindingId = await addCard(platform, w, creds, code(n++));
    const client = clientOf(creds);
    expect(await client.updateProfile({ bindingId, profile: { points: 10, version: 1 } })).toEqual({
      bindingId,
      profile: { points: 10, version: 1 },
    });
    expect(await apiError(client.updateProfile({ bindingId, profile: { points: 11, version: 1 } }))).toEqual([
      409,
      '3008',
    ]);
    expect(await apiError(client.updateProfile({ bindingId, profile: { points: 9, version: 0 } }))).toEqual([
      409,
      '3008',
    ]);
    await client.updateProfile({
      bindingId,
      profile: { displayName: 'P', level: 'Gold', points: 50, version: 5 },
    });
    expect(await apiError(client.updateProfile({ bindingId, profile: { points: 30, version: 3 } }))).toEqual([
      409,
      '3008',
    ]);
    const card = await w.get(`/v1/cards/${bindingId}`);
    expect(card.body.info.card.profile).toEqual({ displayName: 'P', level: 'Gold', points: 50, version: 5 });
    // Another channel's card, an unknown id: 3003.
    expect(await apiError(clientOf(other).updateProfile({ bindingId, profile: { version: 9 } }))).toEqual([
      404,
      '3003',
    ]);
    expect(
      await apiError(client.updateProfile({ bindingId: 'Z'.repeat(32), profile: { version: 9 } })),
    ).toEqual([404, '3003']);
    // Schema: version required, no unknown fields.
    const noVersion = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', {
      bindingId,
      profile: { points: 1 },
    });
    expect([noVersion.status, noVersion.body.returnCode]).toEqual([400, '2101']);
    const unknown = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', {
      bindingId,
      profile: { version: 10, colour: 'red' },
    });
    expect([unknown.status, unknown.body.returnCode]).toEqual([400, '2101']);
    expect((await w.get(`/v1/cards/${bindingId}`)).body.info.card.profile.version).toBe(5);
  });

  it('unbinds from the merchant side idempotently, with one card.unbound event', async () => {
    const creds = await platform.program({ webhookUrl: 'https://shop.example/hook' });
    const w = await platform.wallet('p2');
    const bindingId = await addCard(platform, w, creds, code(n++));
    const client = clientOf(creds);
    expect(await apiError(clientOf(await platform.program()).unbind({ bindingId }))).toEqual([404, '3003']);
    expect(await client.unbind({ bindingId, reason: 'closed' })).toEqual({ bindingId, state: 'UNBOUND' });
    expect(await client.unbind({ bindingId })).toEqual({ bindingId, state: 'UNBOUND' });
    const events = await platform.ctx.db
      .selectFrom('webhook_outbox')
      .select(['type', 'payload'])
      .where('channel_id', '=', creds.channelId)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['card.completed', 'card.unbound']);
    expect(JSON.parse(defined(events[1]).payload).data).toEqual({ bindingId, reason: 'merchant' });
    expect((await w.get('/v1/cards')).body.info.cards).toEqual([]);
    expect((await w.get(`/v1/cards/${bindingId}`)).body.info.card.state).toBe('UNBOUND');
    expect(await apiError(client.updateProfile({ bindingId, profile: { version: 1 } }))).toEqual([
      404,
      '3003',
    ]);
    // The user may add the program again.
    await addCard(platform, w, creds, code(n++));
  });

  it('lets the wallet user read and remove only their own cards (4004, 4003)', async () => {
    const creds = await platform.program({ webhookUrl: 'https://shop.example/hook' });
    const w = await platform.wallet('p3');
    const other = await platform.wallet('p4');
    const bindingId = await addCard(platform, w, creds, code(n++));
    for (const [method, path] of [
      ['GET', `/v1/cards/${'Q'.repeat(32)}`],
      ['DELETE', `/v1/cards/${'Q'.repeat(32)}`],
    ] as const) {
      const res = await w.request(method, path);
      expect([res.status, res.body.returnCode]).toEqual([404, '4004']);
    }
    expect([(await other.get(`/v1/cards/${bindingId}`)).body.returnCode]).toEqual(['4003']);
    const del = await other.delete(`/v1/cards/${bindingId}`);
    expect([del.status, del.body.returnCode]).toEqual([403, '4003']);
    const bad = await w.get('/v1/cards/short');
    expect([bad.status, bad.body.returnCode]).toEqual([400, '2101']);
    const cross = await w.request('DELETE', `/v1/cards/${bindingId}`, undefined, {
      origin: 'https://evil.example',
    });
    expect([cross.status, cross.body.returnCode]).toEqual([403, '4003']);
    expect((await w.get(`/v1/cards/${bindingId}`)).body.info.card.state).toBe('ACTIVE');
    const ok = await w.delete(`/v1/cards/${bindingId}`);
    expect([ok.status, ok.body.info.card.state]).toEqual([200, 'UNBOUND']);
    const events = await platform.ctx.db
      .selectFrom('webhook_outbox')
      .select('payload')
      .where('channel_id', '=', creds.channelId)
      .where('type', '=', 'card.unbound')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload).data)).toEqual([{ bindingId, reason: 'user' }]);
  });

  it('resolves a one-time key per channel, retry-safe while valid, keeps it for a channel without a card (3011), expires it (3010)', async () => {
    const a = await platform.program();
    const b = await platform.program();
    const c = await platform.program();
    const w = await platform.wallet('k1');
    const cardA = await addCard(platform, w, a, code(n++));
    const cardB = await addCard(platform, w, b, code(n++));
    const res = await w.post('/v1/mycode', {});
    expect(res.status).toBe(200);
    const { oneTimeKey, expiresAt } = res.body.info;
    expect(oneTimeKey).toMatch(/^\d{18}$/);
    expect(Date.parse(expiresAt) - clock.now().getTime()).toBe(300_000);
    const stored = await platform.ctx.db.selectFrom('one_time_keys').select('key_hash').execute();
    expect(stored.map((r) => r.key_hash)).not.toContain(oneTimeKey);

    expect(await apiError(clientOf(c).resolveOneTimeKey(oneTimeKey))).toEqual([404, '3011']);
    const resolvedA = await clientOf(a).resolveOneTimeKey(oneTimeKey);
    expect(resolvedA).toEqual({
      bindingId: cardA,
      membershipCode: expect.any(String),
      resolvedAt: clock.now().toISOString(),
    });
    // A till that lost the answer, or a double tap, resolves again: the same answer, same resolvedAt
    // (§6 v1.1), even a little later, in parallel, while the key is valid.
    clock.advance(5);
    const retries = await Promise.all([1, 2, 3].map(() => clientOf(a).resolveOneTimeKey(oneTimeKey)));
    for (const retry of retries) expect(retry).toEqual(resolvedA);
    expect((await clientOf(b).resolveOneTimeKey(oneTimeKey)).bindingId).toBe(cardB);
    expect(await apiError(clientOf(a).resolveOneTimeKey('000000000000000000'))).toEqual([404, '3010']);
    const badFormat = await merchantCall(platform.url, a, 'GET', '/v1/onetimekeys/12345');
    expect([badFormat.status, badFormat.body.returnCode]).toEqual([400, '2101']);

    clock.advance(296);
    // Expired: even the channel that resolved it gets 3010 now.
    expect(await apiError(clientOf(a).resolveOneTimeKey(oneTimeKey))).toEqual([404, '3010']);
    const second = (await w.post('/v1/mycode', {})).body.info.oneTimeKey;
    clock.advance(301);
    const before = await platform.counts();
    expect(await apiError(clientOf(a).resolveOneTimeKey(second))).toEqual([404, '3010']);
    expect(await platform.counts()).toEqual(before);
  });

  it('lists the programs the user can add, by name, with cardHeld', async () => {
    const live = await platform.program({ name: 'Zebra 100% Coffee' });
    const draft = await platform.program({ name: 'Zebra Draft', status: 'DRAFT', testers: ['dev:lister'] });
    await platform.program({ name: 'Zebra Hidden Draft', status: 'DRAFT' });
    await platform.program({ name: 'Zebra Suspended', status: 'SUSPENDED' });
    const w = await platform.wallet('lister');
    await addCard(platform, w, live, code(n++));
    const res = await w.get(`/v1/programs?query=${encodeURIComponent('zebra')}`);
    expect(res.status).toBe(200);
    expect(res.body.info.programs.map((p: any) => [p.name, p.cardHeld])).toEqual([
      ['Zebra 100% Coffee', true],
      ['Zebra Draft', false],
    ]);
    expect(res.body.info.programs[1].channelId).toBe(draft.channelId);
    const pct = await w.get(`/v1/programs?query=${encodeURIComponent('100%')}`);
    expect(pct.body.info.programs.map((p: any) => p.name)).toEqual(['Zebra 100% Coffee']);
    const underscore = await w.get(`/v1/programs?query=${encodeURIComponent('a_r')}`);
    expect(underscore.body.info.programs).toEqual([]);
    const bad = await w.get('/v1/programs?other=1');
    expect([bad.status, bad.body.returnCode]).toEqual([400, '2101']);
  });
});
