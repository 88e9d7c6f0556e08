import { MyCardApiError } from '@mycard/merchant';
import { describe, expect, it } from 'vitest';
import { addCard, programWithCard } from '../helpers/cards.js';
import { apiError, code, httpPlatformForBlock, merchantCall } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

const HOUR = 3600;

describe.each(DIALECTS)('card messages: POST /v1/cards/messages (PROTOCOL.md §6, §11) on %s', (dialect) => {
  const clock = createClock(new Date('2026-12-01T09:00:00.000Z'));
  const platform = httpPlatformForBlock(dialect, {}, { now: clock.now });
  let n = 4100;

  const card = (user: string) => programWithCard(platform, user, code(n++));
  const stored = async () =>
    Number(
      (
        await platform.ctx.db
          .selectFrom('card_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const msg = (bindingId: string, messageId: string) => ({
    bindingId,
    messageId,
    title: 'Points expiring',
    body: '120 points expire on 31 December.',
  });

  it('the 4th message in any 24 hours is 4029 with Retry-After; once the oldest leaves the window one more is accepted', async () => {
    const { client, bindingId } = await card('quota1');
    await client.sendMessage(msg(bindingId, 'q-1'));
    clock.advance(2 * HOUR);
    await client.sendMessage(msg(bindingId, 'q-2'));
    clock.advance(2 * HOUR);
    await client.sendMessage(msg(bindingId, 'q-3'));
    clock.advance(HOUR);
    const before = await stored();
    const refused = await client.sendMessage(msg(bindingId, 'q-4')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MyCardApiError);
    const e = refused as MyCardApiError;
    expect([e.status, e.returnCode]).toEqual([429, '4029']);
    // The first message was 5 h ago: the quota frees up in 19 h.
    expect(e.retryAfter).toBe(19 * HOUR);
    expect(await stored()).toBe(before);

    // A fixed window would have let a 4th in after midnight: the window slides (23 h 59 s later still 4029).
    clock.advance(19 * HOUR - 1);
    expect(await apiError(client.sendMessage(msg(bindingId, 'q-4')))).toEqual([429, '4029']);
    clock.advance(1);
    const fourth = await client.sendMessage(msg(bindingId, 'q-4'));
    expect(fourth).toEqual({ bindingId, messageId: 'q-4', sentAt: clock.now().toISOString() });
    // …and the next one waits for the 2nd to leave the window.
    expect(await apiError(client.sendMessage(msg(bindingId, 'q-5')))).toEqual([429, '4029']);
  });

  it('the quota is per card: another card of the same program is not affected', async () => {
    const a = await card('quota2a');
    const wallet = await platform.wallet('quota2b');
    const other = await addCard(platform, wallet, a.creds, code(n++));
    for (const id of ['p-1', 'p-2', 'p-3']) await a.client.sendMessage(msg(a.bindingId, id));
    expect(await apiError(a.client.sendMessage(msg(a.bindingId, 'p-4')))).toEqual([429, '4029']);
    expect((await a.client.sendMessage(msg(other, 'p-4'))).bindingId).toBe(other);
  });

  it('parallel sends to one card: exactly three are stored, the rest are 4029', async () => {
    const { client, bindingId } = await card('quota3');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => client.sendMessage(msg(bindingId, `par-${i}`))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) =>
      r.status === 'rejected' && r.reason instanceof MyCardApiError ? [r.reason.returnCode] : [],
    );
    expect(ok).toHaveLength(3);
    expect(refused).toEqual(Array(5).fill('4029'));
    const rows = await platform.ctx.db
      .selectFrom('card_messages')
      .select('message_id')
      .where('binding_id', '=', bindingId)
      .execute();
    expect(rows).toHaveLength(3);
  });

  it('is idempotent by messageId: a repeat stores nothing new and answers the same, even once the quota is used up', async () => {
    const { client, bindingId, wallet } = await card('idem1');
    const first = await client.sendMessage(msg(bindingId, 'same-id'));
    clock.advance(60);
    expect(await client.sendMessage(msg(bindingId, 'same-id'))).toEqual(first);
    await client.sendMessage(msg(bindingId, 'idem-2'));
    await client.sendMessage(msg(bindingId, 'idem-3'));
    expect(await client.sendMessage(msg(bindingId, 'same-id'))).toEqual(first);
    const inbox = (await wallet.get('/v1/inbox')).body.info.messages;
    expect(inbox.map((m: { messageId: string }) => m.messageId).sort()).toEqual([
      'idem-2',
      'idem-3',
      'same-id',
    ]);
  });

  it('parallel repeats of one messageId store one message', async () => {
    const { client, bindingId } = await card('idem2');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.sendMessage(msg(bindingId, 'burst'))),
    );
    expect(new Set(results.map((r) => r.sentAt)).size).toBe(1);
    const rows = await platform.ctx.db
      .selectFrom('card_messages')
      .select('message_id')
      .where('binding_id', '=', bindingId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('the same messageId with another body, url or card is refused (2101) and changes nothing', async () => {
    const { client, bindingId, wallet, creds } = await card('idem3');
    await client.sendMessage(msg(bindingId, 'reuse'));
    const other = await addCard(platform, await platform.wallet('idem3b'), creds, code(n++));
    const before = await stored();
    for (const changed of [
      { ...msg(bindingId, 'reuse'), body: 'Another text.' },
      { ...msg(bindingId, 'reuse'), title: 'Other title' },
      { ...msg(bindingId, 'reuse'), url: 'https://shop.example/points' },
      msg(other, 'reuse'),
    ]) {
      expect(await apiError(client.sendMessage(changed))).toEqual([400, '2101']);
    }
    expect(await stored()).toBe(before);
    const inbox = (await wallet.get('/v1/inbox')).body.info.messages;
    expect(inbox).toHaveLength(1);
    expect(inbox[0].body).toBe('120 points expire on 31 December.');
  });

  it('a messageId is the channel’s own: another program may use the same id', async () => {
    const a = await card('idem4a');
    const b = await card('idem4b');
    await a.client.sendMessage(msg(a.bindingId, 'welcome'));
    expect((await b.client.sendMessage(msg(b.bindingId, 'welcome'))).bindingId).toBe(b.bindingId);
  });

  it("refuses another channel's card, an unknown card and an unbound one (3003), storing nothing", async () => {
    const a = await card('own1');
    const b = await card('own2');
    const before = await stored();
    expect(await apiError(b.client.sendMessage(msg(a.bindingId, 'steal')))).toEqual([404, '3003']);
    expect(await apiError(b.client.sendMessage(msg('A'.repeat(22), 'ghost')))).toEqual([404, '3003']);
    await a.client.unbind({ bindingId: a.bindingId });
    expect(await apiError(a.client.sendMessage(msg(a.bindingId, 'late')))).toEqual([404, '3003']);
    expect(await stored()).toBe(before);
  });

  it('title 1–40, body 1–500 characters, url https only, messageId 1–64: otherwise 2101 and nothing stored', async () => {
    const { creds, bindingId } = await card('rules1');
    const base = msg(bindingId, 'r-ok');
    const before = await stored();
    for (const body of [
      { ...base, title: '' },
      { ...base, title: 'x'.repeat(41) },
      { ...base, title: 'two\nlines' },
      { ...base, body: '' },
      { ...base, body: 'x'.repeat(501) },
      { ...base, url: 'http://shop.example/' },
      { ...base, url: 'javascript:alert(1)' },
      { ...base, url: 'https://user:pw@shop.example/' },
      { ...base, url: 'https://' },
      { ...base, messageId: '' },
      { ...base, messageId: 'x'.repeat(65) },
      { ...base, messageId: 'with space' },
      { ...base, extra: 1 },
      { bindingId, messageId: 'r-none', title: 't' },
    ]) {
      const res = await merchantCall(platform.url, creds, 'POST', '/v1/cards/messages', body);
      expect([res.status, res.body.returnCode], JSON.stringify(body).slice(0, 80)).toEqual([400, '2101']);
    }
    expect(await stored()).toBe(before);
    // The edges are accepted: 40 and 500 characters counted as characters (emoji are one each).
    const edge = await merchantCall(platform.url, creds, 'POST', '/v1/cards/messages', {
      ...base,
      title: '🎉'.repeat(40),
      body: `${'é'.repeat(499)}\n`,
      url: 'https://shop.example/points?x=1',
    });
    expect([edge.status, edge.body.returnCode]).toEqual([200, '0000']);
  });
});
