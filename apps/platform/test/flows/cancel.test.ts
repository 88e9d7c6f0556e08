import type { MyCardClient } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { code, type HttpPlatform, startProgramPlatform, WalletClient } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('CANCEL/FAIL with the completion token (PROTOCOL.md §4.7) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let creds: { channelId: string; channelSecret: string };
  let client: MyCardClient;
  let n = 700;
  beforeAll(async () => {
    ({ platform, creds, client } = await startProgramPlatform(dialect, clock.now, {
      webhookUrl: 'https://shop.example/hooks/mycard',
    }));
  });
  afterAll(async () => {
    await platform?.close();
  });

  const row = (id: string) =>
    platform.ctx.db
      .selectFrom('bindings')
      .select(['state', 'end_reason', 'completion_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const applied = async (userId: string) => {
    const w = await platform.wallet(userId);
    const r = await w.reserve(creds.channelId);
    const a = await client.apply({ token: r.token, membershipCode: code(n++) });
    return { w, r, a };
  };
  const body = (token: string, status: string, channelId = creds.channelId) => ({ token, channelId, status });
  const pair = (r: { status: number; body: any }) => [r.status, r.body.returnCode];

  it('cancels an APPLIED binding by its completion token; the token dies (SUCCESS with it is 3003)', async () => {
    const { w, r, a } = await applied('d1');
    const res = await w.post('/v1/bindings/complete', body(a.completionToken, 'CANCEL'));
    expect(pair(res)).toEqual([200, '0000']);
    expect(res.body.info).toEqual({ bindingId: r.bindingId, state: 'CANCELLED' });
    expect(await row(r.bindingId)).toEqual({
      state: 'CANCELLED',
      end_reason: 'wallet_cancel',
      completion_hash: null,
    });
    const success = await w.post('/v1/bindings/complete', body(a.completionToken, 'SUCCESS'));
    expect(pair(success)).toEqual([404, '3003']);
    const again = await w.post('/v1/bindings/complete', body(a.completionToken, 'CANCEL'));
    expect(pair(again)).toEqual([404, '3003']);
    const preview = await w.post('/v1/bindings/preview', {
      token: a.completionToken,
      channelId: creds.channelId,
    });
    expect(pair(preview)).toEqual([404, '3003']);
    expect((await w.get('/v1/cards')).body.info.cards).toEqual([]);
    // The merchant hears of it: one binding.cancelled (PROTOCOL.md §6 v1.1).
    const events = await platform.ctx.db.selectFrom('webhook_outbox').select(['type', 'payload']).execute();
    expect(events.map((e) => [e.type, JSON.parse(e.payload).data.bindingId])).toEqual([
      ['binding.cancelled', r.bindingId],
    ]);
    // The binding token still reads the (idempotent) cancelled binding.
    const byBindingToken = await w.post('/v1/bindings/complete', body(r.token, 'CANCEL'));
    expect(pair(byBindingToken)).toEqual([200, '0000']);

    // FAIL works the same way, and the user may start over.
    const second = await w.reserve(creds.channelId);
    const a2 = await client.apply({ token: second.token, membershipCode: code(n++) });
    expect(pair(await w.post('/v1/bindings/complete', body(a2.completionToken, 'FAIL')))).toEqual([
      200,
      '0000',
    ]);
    expect((await row(second.bindingId)).end_reason).toBe('wallet_fail');
  });

  it('refuses another wallet user (3007) and, as for SUCCESS, cancels the binding', async () => {
    const { w, r, a } = await applied('d2');
    const mallory = await platform.wallet('mallory');
    const res = await mallory.post('/v1/bindings/complete', body(a.completionToken, 'CANCEL'));
    expect(pair(res)).toEqual([403, '3007']);
    expect(await row(r.bindingId)).toMatchObject({ state: 'CANCELLED', end_reason: 'foreign_completion' });
    // The owner can no longer complete it.
    const success = await w.post('/v1/bindings/complete', body(a.completionToken, 'SUCCESS'));
    expect(pair(success)).toEqual([409, '3004']);

    // The same user from another browser (no reservation cookie) is refused the same way.
    const other = await applied('d3');
    const sameUserOtherBrowser = new WalletClient(platform.url);
    sameUserOtherBrowser.cookies.set('mycard_session', defined(other.w.cookies.get('mycard_session')));
    const res2 = await sameUserOtherBrowser.post(
      '/v1/bindings/complete',
      body(other.a.completionToken, 'FAIL'),
    );
    expect(pair(res2)).toEqual([403, '3007']);
    expect((await row(other.r.bindingId)).state).toBe('CANCELLED');
  });

  it('answers 3003 for a used, replaced, unknown or other-channel completion token, 3002 when expired', async () => {
    const { w, r, a } = await applied('d4');
    expect((await w.post('/v1/bindings/complete', body(a.completionToken, 'SUCCESS'))).status).toBe(200);
    const used = await w.post('/v1/bindings/complete', body(a.completionToken, 'CANCEL'));
    expect(pair(used)).toEqual([404, '3003']);
    expect((await row(r.bindingId)).state).toBe('ACTIVE');

    const unknown = await w.post('/v1/bindings/complete', body('B'.repeat(43), 'CANCEL'));
    expect(pair(unknown)).toEqual([404, '3003']);

    const x = await applied('d5');
    // A merchant retry of Apply replaces the completion token: the old one is unknown.
    const retried = await client.apply({ token: x.r.token, membershipCode: code(n - 1) });
    expect(pair(await x.w.post('/v1/bindings/complete', body(x.a.completionToken, 'CANCEL')))).toEqual([
      404,
      '3003',
    ]);
    const otherChannel = await x.w.post(
      '/v1/bindings/complete',
      body(retried.completionToken, 'CANCEL', '1000000000'),
    );
    expect(pair(otherChannel)).toEqual([404, '3003']);
    expect((await row(x.r.bindingId)).state).toBe('APPLIED');

    clock.advance(601);
    const expired = await x.w.post('/v1/bindings/complete', body(retried.completionToken, 'CANCEL'));
    expect(pair(expired)).toEqual([410, '3002']);
    expect((await row(x.r.bindingId)).state).toBe('APPLIED');
  });
});
