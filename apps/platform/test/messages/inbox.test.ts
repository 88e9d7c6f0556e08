import { describe, expect, it } from 'vitest';
import { addCard, programWithCard } from '../helpers/cards.js';
import { code, httpPlatformForBlock, merchantClient } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('the wallet inbox and mute (PROTOCOL.md §11) on %s', (dialect) => {
  const clock = createClock(new Date('2026-12-01T09:00:00.000Z'));
  const platform = httpPlatformForBlock(dialect, {}, { now: clock.now });
  let n = 5100;

  const card = (user: string) => programWithCard(platform, user, code(n++));
  const readAt = async (messageId: string) =>
    (
      await platform.ctx.db
        .selectFrom('card_messages')
        .select('read_at')
        .where('message_id', '=', messageId)
        .executeTakeFirstOrThrow()
    ).read_at;

  it('lists the messages newest first with the §11 fields; markup is kept as the text it is', async () => {
    const { client, wallet, bindingId, creds } = await card('inbox1');
    await client.sendMessage({ bindingId, messageId: 'm-1', title: 'Welcome', body: 'Hello' });
    clock.advance(60);
    const markup = '<img src=x onerror=alert(1)><b>bold</b> & "quotes"';
    await client.sendMessage({
      bindingId,
      messageId: 'm-2',
      title: '<script>x</script>',
      body: markup,
      url: 'https://shop.example/news',
    });
    const res = await wallet.get('/v1/inbox');
    expect(res.status).toBe(200);
    expect(res.body.info.messages).toEqual([
      {
        messageId: 'm-2',
        channelId: creds.channelId,
        bindingId,
        title: '<script>x</script>',
        body: markup,
        url: 'https://shop.example/news',
        sentAt: clock.now().toISOString(),
        read: false,
      },
      expect.objectContaining({ messageId: 'm-1', url: null, read: false }),
    ]);
  });

  it('marks a message read (idempotent: the first read time stays)', async () => {
    const { client, wallet, bindingId, creds } = await card('inbox2');
    await client.sendMessage({ bindingId, messageId: 'r-1', title: 'T', body: 'B' });
    const path = `/v1/inbox/${creds.channelId}/r-1/read`;
    const first = await wallet.post(path, {});
    expect([first.status, first.body.info]).toEqual([
      200,
      { channelId: creds.channelId, messageId: 'r-1', read: true },
    ]);
    const at = await readAt('r-1');
    expect(at).toBe(clock.now().toISOString());
    clock.advance(30);
    expect((await wallet.post(path, {})).status).toBe(200);
    expect(await readAt('r-1')).toBe(at);
    expect((await wallet.get('/v1/inbox')).body.info.messages[0].read).toBe(true);
  });

  it("another user's message is 4004 like an unknown one, and stays unread; the inbox never shows it", async () => {
    const a = await card('inbox3a');
    const b = await card('inbox3b');
    await a.client.sendMessage({ bindingId: a.bindingId, messageId: 'secret', title: 'T', body: 'For A' });
    const stolen = await b.wallet.post(`/v1/inbox/${a.creds.channelId}/secret/read`, {});
    expect([stolen.status, stolen.body.returnCode]).toEqual([404, '4004']);
    const unknown = await b.wallet.post(`/v1/inbox/${a.creds.channelId}/nothing/read`, {});
    expect([unknown.status, unknown.body.returnCode]).toEqual([404, '4004']);
    expect(await readAt('secret')).toBeNull();
    expect((await b.wallet.get('/v1/inbox')).body.info.messages).toEqual([]);
  });

  it('a cross-site read or mute is refused (CSRF, 4003) and changes nothing; no session is 4001', async () => {
    const { client, wallet, bindingId, creds } = await card('inbox4');
    await client.sendMessage({ bindingId, messageId: 'c-1', title: 'T', body: 'B' });
    const evil = { origin: 'https://evil.example' };
    const read = await wallet.post(`/v1/inbox/${creds.channelId}/c-1/read`, {}, evil);
    expect([read.status, read.body.returnCode]).toEqual([403, '4003']);
    const mute = await wallet.post(`/v1/cards/${bindingId}/mute`, { muted: true }, evil);
    expect([mute.status, mute.body.returnCode]).toEqual([403, '4003']);
    expect(await readAt('c-1')).toBeNull();
    expect((await wallet.get(`/v1/cards/${bindingId}`)).body.info.card.muted).toBe(false);
    const anonymous = await fetch(`${platform.url}/v1/inbox`);
    expect(anonymous.status).toBe(401);
  });

  it('muting a card takes its messages out of the inbox; unmuting brings them back; the card says muted', async () => {
    const a = await card('inbox5');
    const creds2 = await platform.program();
    const other = await addCard(platform, a.wallet, creds2, code(n++));
    await a.client.sendMessage({ bindingId: a.bindingId, messageId: 'mu-1', title: 'T', body: 'B' });
    await merchantClient(platform, creds2).sendMessage({
      bindingId: other,
      messageId: 'mu-2',
      title: 'T',
      body: 'B',
    });
    const muted = await a.wallet.post(`/v1/cards/${a.bindingId}/mute`, { muted: true });
    expect(muted.body.info).toEqual({ bindingId: a.bindingId, muted: true });
    // Muting twice is harmless; the merchant is not told (its send is still accepted).
    expect((await a.wallet.post(`/v1/cards/${a.bindingId}/mute`, { muted: true })).status).toBe(200);
    await a.client.sendMessage({ bindingId: a.bindingId, messageId: 'mu-3', title: 'T', body: 'B' });
    const ids = async () =>
      (await a.wallet.get('/v1/inbox')).body.info.messages
        .map((m: { messageId: string }) => m.messageId)
        .sort();
    expect(await ids()).toEqual(['mu-2']);
    expect((await a.wallet.get(`/v1/cards/${a.bindingId}`)).body.info.card.muted).toBe(true);
    const cards = (await a.wallet.get('/v1/cards')).body.info.cards;
    expect(cards.map((c: { bindingId: string; muted: boolean }) => [c.bindingId, c.muted]).sort()).toEqual(
      [
        [a.bindingId, true],
        [other, false],
      ].sort(),
    );
    await a.wallet.post(`/v1/cards/${a.bindingId}/mute`, { muted: false });
    expect(await ids()).toEqual(['mu-1', 'mu-2', 'mu-3']);
  });

  it("muting another user's card is 4003, an unknown card 4004, a bad body 2101: nothing stored", async () => {
    const a = await card('inbox6a');
    const b = await card('inbox6b');
    const foreign = await b.wallet.post(`/v1/cards/${a.bindingId}/mute`, { muted: true });
    expect([foreign.status, foreign.body.returnCode]).toEqual([403, '4003']);
    const unknown = await b.wallet.post(`/v1/cards/${'Z'.repeat(22)}/mute`, { muted: true });
    expect([unknown.status, unknown.body.returnCode]).toEqual([404, '4004']);
    for (const body of [{}, { muted: 'yes' }, { muted: true, extra: 1 }]) {
      const res = await b.wallet.post(`/v1/cards/${b.bindingId}/mute`, body);
      expect([res.status, res.body.returnCode]).toEqual([400, '2101']);
    }
    const rows = await platform.ctx.db
      .selectFrom('card_mutes')
      .select('binding_id')
      .where('binding_id', 'in', [a.bindingId, b.bindingId])
      .execute();
    expect(rows).toEqual([]);
  });

  it("a removed card's messages leave the inbox", async () => {
    const { client, wallet, bindingId } = await card('inbox7');
    await client.sendMessage({ bindingId, messageId: 'gone', title: 'T', body: 'B' });
    expect((await wallet.get('/v1/inbox')).body.info.messages).toHaveLength(1);
    await wallet.delete(`/v1/cards/${bindingId}`);
    expect((await wallet.get('/v1/inbox')).body.info.messages).toEqual([]);
  });
});
