import { describe, expect, it } from 'vitest';
import { addCard } from '../helpers/cards.js';
import {
  apiError,
  code,
  httpPlatformForBlock,
  merchantCall,
  merchantClient,
} from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('profile updates merge (PROTOCOL.md §6 v1.1) on %s', (dialect) => {
  const clock = createClock(new Date());
  const platform = httpPlatformForBlock(dialect, {}, { now: clock.now });
  let n = 1200;

  it('keeps absent fields, clears null ones: a points update never erases the display name', async () => {
    const creds = await platform.program();
    const w = await platform.wallet('merge1');
    const r = await w.reserve(creds.channelId);
    const client = merchantClient(platform, creds);
    const a = await client.apply({
      token: r.token,
      membershipCode: code(n++),
      profile: { displayName: 'Hanako', level: 'Silver', points: 0, version: 1 },
    });
    await w.post('/v1/bindings/complete', {
      token: a.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    const bindingId = r.bindingId;

    // What the reference merchant sends after a sale: points and version only.
    expect(await client.updateProfile({ bindingId, profile: { points: 120, version: 2 } })).toEqual({
      bindingId,
      profile: { displayName: 'Hanako', level: 'Silver', points: 120, version: 2 },
    });
    const card = (await w.get(`/v1/cards/${bindingId}`)).body.info.card;
    expect(card.profile).toEqual({ displayName: 'Hanako', level: 'Silver', points: 120, version: 2 });

    await client.updateProfile({
      bindingId,
      profile: { pointsExpireAt: '2027-03-31T14:59:59Z', expiringPoints: 20, version: 3 },
    });
    const cleared = await client.updateProfile({
      bindingId,
      profile: { level: null, pointsExpireAt: null, expiringPoints: null, version: 4 },
    });
    expect(cleared.profile).toEqual({ displayName: 'Hanako', points: 120, version: 4 });
    const listed = (await w.get('/v1/cards')).body.info.cards[0];
    expect(listed.profile).toEqual({ displayName: 'Hanako', points: 120, version: 4 });
    // null is not a value for version, and a stale merge stores nothing.
    const nullVersion = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', {
      bindingId,
      profile: { points: 1, version: null },
    });
    expect([nullVersion.status, nullVersion.body.returnCode]).toEqual([400, '2101']);
    expect(
      await apiError(client.updateProfile({ bindingId, profile: { displayName: null, version: 4 } })),
    ).toEqual([409, '3008']);
    expect((await w.get(`/v1/cards/${bindingId}`)).body.info.card.profile.displayName).toBe('Hanako');
  });

  it('merges parallel updates without losing a field: the newest version wins, none erases another', async () => {
    const creds = await platform.program();
    const w = await platform.wallet('merge2');
    const bindingId = await addCard(platform, w, creds, code(n++));
    const client = merchantClient(platform, creds);
    await client.updateProfile({ bindingId, profile: { displayName: 'Taro', version: 1 } });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        client.updateProfile({ bindingId, profile: { points: i, version: 2 + i } }),
      ),
    );
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    const profile = (await w.get(`/v1/cards/${bindingId}`)).body.info.card.profile;
    expect(profile.displayName).toBe('Taro');
    expect(profile.version).toBe(profile.points + 2);
  });
});
