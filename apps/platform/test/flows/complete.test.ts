import type { MyCardClient } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { code, type HttpPlatform, startProgramPlatform, WalletClient } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('Verify and complete binding (PROTOCOL.md §4.7) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let creds: { channelId: string; channelSecret: string };
  let client: MyCardClient;
  let n = 500;
  beforeAll(async () => {
    ({ platform, creds, client } = await startProgramPlatform(dialect, clock.now));
  });
  afterAll(async () => {
    await platform?.close();
  });

  const state = async (id: string) =>
    (
      await platform.ctx.db
        .selectFrom('bindings')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).state;
  const applied = async (userId: string) => {
    const w = await platform.wallet(userId);
    const r = await w.reserve(creds.channelId);
    const a = await client.apply({ token: r.token, membershipCode: code(n++) });
    return { w, r, a };
  };
  const body = (token: string, status = 'SUCCESS', channelId = creds.channelId) => ({
    token,
    channelId,
    status,
  });

  it('refuses completion by another wallet user with 3007 and cancels the binding', async () => {
    const { r, a } = await applied('c1');
    const mallory = await platform.wallet('mallory');
    const preview = await mallory.post('/v1/bindings/preview', {
      token: a.completionToken,
      channelId: creds.channelId,
    });
    expect([preview.status, preview.body.returnCode]).toEqual([403, '3007']);
    expect(await state(r.bindingId)).toBe('APPLIED');
    const res = await mallory.post('/v1/bindings/complete', body(a.completionToken));
    expect([res.status, res.body.returnCode]).toEqual([403, '3007']);
    expect(await state(r.bindingId)).toBe('CANCELLED');
    expect((await platform.counts()).webhook_outbox).toBe(0);
  });

  it('refuses completion without (or with another) reservation cookie with 3007 and cancels', async () => {
    const { w, r, a } = await applied('c2');
    const sameUserOtherBrowser = new WalletClient(platform.url);
    sameUserOtherBrowser.cookies.set('mycard_session', defined(w.cookies.get('mycard_session')));
    const preview = await sameUserOtherBrowser.post('/v1/bindings/preview', {
      token: a.completionToken,
      channelId: creds.channelId,
    });
    expect([preview.status, preview.body.returnCode]).toEqual([403, '3007']);
    const res = await sameUserOtherBrowser.post('/v1/bindings/complete', body(a.completionToken));
    expect([res.status, res.body.returnCode]).toEqual([403, '3007']);
    expect(await state(r.bindingId)).toBe('CANCELLED');

    const second = await applied('c3');
    const forged = new WalletClient(platform.url);
    forged.cookies.set('mycard_session', defined(second.w.cookies.get('mycard_session')));
    forged.cookies.set('mycard_reservation', 'A'.repeat(43));
    const res2 = await forged.post('/v1/bindings/complete', body(second.a.completionToken));
    expect([res2.status, res2.body.returnCode]).toEqual([403, '3007']);
    expect(await state(second.r.bindingId)).toBe('CANCELLED');
  });

  it('answers 3003 for an unknown token or channel, 3002 when expired, 2101 for a bad status', async () => {
    const { w, r, a } = await applied('c4');
    const unknown = await w.post('/v1/bindings/complete', body('B'.repeat(43)));
    expect([unknown.status, unknown.body.returnCode]).toEqual([404, '3003']);
    const otherChannel = await w.post(
      '/v1/bindings/complete',
      body(a.completionToken, 'SUCCESS', '1000000000'),
    );
    expect([otherChannel.status, otherChannel.body.returnCode]).toEqual([404, '3003']);
    const badStatus = await w.post('/v1/bindings/complete', body(a.completionToken, 'OK'));
    expect([badStatus.status, badStatus.body.returnCode]).toEqual([400, '2101']);
    const extra = await w.post('/v1/bindings/complete', { ...body(a.completionToken), x: 1 });
    expect([extra.status, extra.body.returnCode]).toEqual([400, '2101']);
    expect(await state(r.bindingId)).toBe('APPLIED');
    clock.advance(601);
    const preview = await w.post('/v1/bindings/preview', {
      token: a.completionToken,
      channelId: creds.channelId,
    });
    expect([preview.status, preview.body.returnCode]).toEqual([410, '3002']);
    const expired = await w.post('/v1/bindings/complete', body(a.completionToken));
    expect([expired.status, expired.body.returnCode]).toEqual([410, '3002']);
    expect(await state(r.bindingId)).toBe('APPLIED');
    expect((await w.get('/v1/cards')).body.info.cards).toEqual([]);
  });

  it('answers 3006 when the user meanwhile holds the card, and cancels the second binding', async () => {
    const w = await platform.wallet('c5');
    const r1 = await w.reserve(creds.channelId);
    const r2 = await w.reserve(creds.channelId);
    const a1 = await client.apply({ token: r1.token, membershipCode: code(n++) });
    const a2 = await client.apply({ token: r2.token, membershipCode: code(n++) });
    expect((await w.post('/v1/bindings/complete', body(a1.completionToken))).status).toBe(200);
    const res = await w.post('/v1/bindings/complete', body(a2.completionToken));
    expect([res.status, res.body.returnCode]).toEqual([409, '3006']);
    expect(await state(r2.bindingId)).toBe('CANCELLED');
    expect((await w.get('/v1/cards')).body.info.cards).toHaveLength(1);
  });

  it('handles CANCEL/FAIL: binding token checked (3001), this user only (3007), never a card (3004)', async () => {
    const { w, r, a } = await applied('c6');
    const other = await platform.wallet('c7');
    const foreign = await other.post('/v1/bindings/complete', body(r.token, 'CANCEL'));
    expect([foreign.status, foreign.body.returnCode]).toEqual([403, '3007']);
    const tampered = await w.post('/v1/bindings/complete', body(`${r.token.slice(0, -2)}AA`, 'FAIL'));
    expect([tampered.status, tampered.body.returnCode]).toEqual([400, '3001']);
    const wrongAud = await w.post('/v1/bindings/complete', body(r.token, 'CANCEL', '1000000000'));
    expect([wrongAud.status, wrongAud.body.returnCode]).toEqual([400, '3001']);
    expect(await state(r.bindingId)).toBe('APPLIED');
    expect((await w.post('/v1/bindings/complete', body(a.completionToken))).status).toBe(200);
    const late = await w.post('/v1/bindings/complete', body(r.token, 'CANCEL'));
    expect([late.status, late.body.returnCode]).toEqual([409, '3004']);
    expect(await state(r.bindingId)).toBe('ACTIVE');
    // A cancel after the token expired still works (expiry ignored for CANCEL/FAIL).
    const r2 = await other.reserve((await platform.program()).channelId);
    clock.advance(3600);
    const cancelled = await other.post('/v1/bindings/complete', {
      token: r2.token,
      channelId: new URL(r2.redirectUrl).searchParams.get('token')
        ? JSON.parse(Buffer.from(defined(r2.token.split('.')[1]), 'base64url').toString()).aud
        : '',
      status: 'FAIL',
    });
    expect(cancelled.status).toBe(200);
    expect(await state(r2.bindingId)).toBe('CANCELLED');
  });
});
