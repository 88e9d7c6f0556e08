import { describe, expect, it } from 'vitest';
import { runJanitor } from '../../src/merchant-auth/janitor.js';
import { addCard } from '../helpers/cards.js';
import {
  apiError,
  code,
  httpPlatformForBlock,
  merchantCall,
  merchantClient,
} from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('binding status and binding.* webhooks (PROTOCOL.md §6 v1.1) on %s', (dialect) => {
  const clock = createClock(new Date());
  const platform = httpPlatformForBlock(dialect, {}, { now: clock.now });
  let n = 1300;
  const events = async (channelId: string) =>
    (
      await platform.ctx.db
        .selectFrom('webhook_outbox')
        .select(['type', 'payload'])
        .where('channel_id', '=', channelId)
        .orderBy('id')
        .execute()
    ).map((e) => ({ type: e.type, data: JSON.parse(e.payload).data }));

  it('follows a binding RESERVED → APPLIED → ACTIVE → UNBOUND, only for its own channel (3003)', async () => {
    const creds = await platform.program();
    const other = merchantClient(platform, await platform.program());
    const client = merchantClient(platform, creds);
    const w = await platform.wallet('s1');
    const r = await w.reserve(creds.channelId);
    const reserved = await client.getBinding(r.bindingId);
    expect(reserved).toEqual({ bindingId: r.bindingId, state: 'RESERVED', updatedAt: expect.any(String) });
    // Another channel, an unknown id: the same 3003, nothing told apart.
    expect(await apiError(other.getBinding(r.bindingId))).toEqual([404, '3003']);
    expect(await apiError(client.getBinding('Q'.repeat(32)))).toEqual([404, '3003']);
    const membershipCode = code(n++);
    const a = await client.apply({ token: r.token, membershipCode });
    expect(await client.getBinding(r.bindingId)).toMatchObject({ state: 'APPLIED', membershipCode });
    await w.post('/v1/bindings/complete', {
      token: a.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    expect((await client.getBinding(r.bindingId)).state).toBe('ACTIVE');
    await client.unbind({ bindingId: r.bindingId });
    expect((await client.getBinding(r.bindingId)).state).toBe('UNBOUND');
    // A segment that is no binding id names no resource (4004, as GET /v1/bindings/apply); a query
    // is refused; the SDK refuses to send a bad id.
    const bad = await merchantCall(platform.url, creds, 'GET', '/v1/bindings/short');
    expect([bad.status, bad.body.returnCode]).toEqual([404, '4004']);
    const query = await merchantCall(platform.url, creds, 'GET', `/v1/bindings/${r.bindingId}`, undefined, {
      query: 'x=1',
    });
    expect([query.status, query.body.returnCode]).toEqual([400, '2101']);
    await expect(client.getBinding('../cards')).rejects.toMatchObject({ returnCode: '2101' });
    // Unsigned: 1106.
    const unsigned = await fetch(`${platform.url}/v1/bindings/${r.bindingId}`);
    expect((await unsigned.json()).returnCode).toBe('1106');
  });

  it('tells the merchant of a wallet\'s "Don\'t add" (binding.cancelled) once', async () => {
    const creds = await platform.program({ webhookUrl: 'https://shop.example/hook' });
    const client = merchantClient(platform, creds);
    const w = await platform.wallet('s2');
    const r = await w.reserve(creds.channelId);
    const membershipCode = code(n++);
    const a = await client.apply({ token: r.token, membershipCode });
    const cancel = await w.post('/v1/bindings/complete', {
      token: a.completionToken,
      channelId: creds.channelId,
      status: 'CANCEL',
    });
    expect(cancel.status).toBe(200);
    expect(await client.getBinding(r.bindingId)).toMatchObject({ state: 'CANCELLED', membershipCode });
    // The merchant's own CANCEL redirect later: idempotent, no second event.
    const again = await w.post('/v1/bindings/complete', {
      token: r.token,
      channelId: creds.channelId,
      status: 'CANCEL',
    });
    expect(again.status).toBe(200);
    expect(await events(creds.channelId)).toEqual([
      {
        type: 'binding.cancelled',
        data: { bindingId: r.bindingId, membershipCode, reason: 'wallet_cancel' },
      },
    ]);
  });

  it('sends binding.cancelled for a merchant CANCEL/FAIL redirect and a refused second card', async () => {
    const creds = await platform.program({ webhookUrl: 'https://shop.example/hook' });
    const client = merchantClient(platform, creds);
    const w = await platform.wallet('s3');
    const r1 = await w.reserve(creds.channelId);
    await w.post('/v1/bindings/complete', { token: r1.token, channelId: creds.channelId, status: 'FAIL' });
    expect((await client.getBinding(r1.bindingId)).state).toBe('CANCELLED');
    // Two tabs: the card completes in one, the other's completion is refused (3006) and cancelled.
    const r2 = await w.reserve(creds.channelId);
    const r3 = await w.reserve(creds.channelId);
    const a2 = await client.apply({ token: r2.token, membershipCode: code(n++) });
    const a3 = await client.apply({ token: r3.token, membershipCode: code(n++) });
    await w.post('/v1/bindings/complete', {
      token: a2.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    const refused = await w.post('/v1/bindings/complete', {
      token: a3.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    expect(refused.body.returnCode).toBe('3006');
    const all = await events(creds.channelId);
    expect(all.map((e) => [e.type, e.data.bindingId, e.data.reason])).toEqual([
      ['binding.cancelled', r1.bindingId, 'merchant_fail'],
      ['card.completed', r2.bindingId, undefined],
      ['binding.cancelled', r3.bindingId, 'card_already_held'],
    ]);
  });

  it('expires bindings whose time ran out with one binding.expired each, by the janitor or on read', async () => {
    const creds = await platform.program({ webhookUrl: 'https://shop.example/hook' });
    const client = merchantClient(platform, creds);
    const w1 = await platform.wallet('s4');
    const w2 = await platform.wallet('s5');
    const reservedOnly = await w1.reserve(creds.channelId);
    const applied = await w2.reserve(creds.channelId);
    const membershipCode = code(n++);
    await client.apply({ token: applied.token, membershipCode });
    clock.advance(601);
    // Read before the janitor ran: already EXPIRED, and the event is there.
    expect((await client.getBinding(reservedOnly.bindingId)).state).toBe('EXPIRED');
    await runJanitor(platform.ctx);
    await runJanitor(platform.ctx);
    expect((await client.getBinding(applied.bindingId)).state).toBe('EXPIRED');
    expect(await events(creds.channelId)).toEqual([
      { type: 'binding.expired', data: { bindingId: reservedOnly.bindingId, reason: 'reservation_expired' } },
      {
        type: 'binding.expired',
        data: { bindingId: applied.bindingId, membershipCode, reason: 'completion_expired' },
      },
    ]);
    // A card is not touched by the janitor.
    const w3 = await platform.wallet('s6');
    const card = await addCard(platform, w3, creds, code(n++));
    clock.advance(3600);
    await runJanitor(platform.ctx);
    expect((await client.getBinding(card)).state).toBe('ACTIVE');
  });
});
