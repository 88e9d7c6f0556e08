import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJanitor } from '../../src/merchant-auth/janitor.js';
import { type ConsoleOperator, call, signUp } from '../console/console-client.js';
import { programOf, requestGoLive, signUpAdmin } from '../helpers/admin.js';
import { addCard } from '../helpers/cards.js';
import {
  code,
  type HttpPlatform,
  merchantCall,
  merchantClient,
  startHttpPlatform,
} from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('platform figures on %s', (dialect) => {
  const clock = createClock(new Date('2026-11-27T10:00:00.000Z'));
  let platform: HttpPlatform;
  let owner: ConsoleOperator;
  let admin: ConsoleOperator;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { programReview: 'required' }, { now: clock.now });
    owner = await signUp(platform, 'owner@shop.example');
    admin = await signUpAdmin(platform, 'admin@mycard.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('equals counts computed independently from the database after a scripted scenario', async () => {
    // Programs in every state; a pending revision.
    const shop = await programOf(platform, owner, {
      status: 'LIVE',
      webhookUrl: 'https://shop.example/hook',
    });
    const other = await programOf(platform, owner, { status: 'LIVE', name: 'Other' });
    await programOf(platform, owner, { status: 'SUSPENDED', name: 'Gone' });
    await requestGoLive(platform, owner, (await programOf(platform, owner, { name: 'Asking' })).channelId);
    await programOf(platform, owner, { name: 'Draft' });
    await call(platform, owner, 'PATCH', `/programs/${other.channelId}`, { name: 'Other 2' });

    // Bindings: three cards, one cancelled, one left to expire, one still reserved. Calls tallied here.
    const calls: Record<string, number> = {};
    const tally = (rc: string) => {
      calls[rc] = (calls[rc] ?? 0) + 1;
    };
    for (const [i, creds] of [shop, shop, other].entries()) {
      await addCard(platform, await platform.wallet(`card-${i}`), creds, code(100 + i));
      tally('0000'); // the Apply of addCard
    }
    const canceller = await platform.wallet('canceller');
    const c = await canceller.reserve(shop.channelId);
    await canceller.post('/v1/bindings/complete', {
      token: c.token,
      channelId: shop.channelId,
      status: 'CANCEL',
    });
    const expiring = await platform.wallet('expiring');
    await expiring.reserve(shop.channelId);
    clock.advance(platform.config.bindingTtl + 1);
    await runJanitor(platform.ctx);
    const waiting = await platform.wallet('waiting');
    const w = await waiting.reserve(shop.channelId);
    const bad = await merchantCall(platform.url, shop, 'POST', '/v1/bindings/apply', {
      token: 'x.y.z',
      membershipCode: code(1),
    });
    tally(bad.body.returnCode);
    const unknown = await merchantCall(
      platform.url,
      { channelId: '0000000001', channelSecret: 'a'.repeat(64) },
      'GET',
      `/v1/bindings/${w.bindingId}`,
    );
    tally(unknown.body.returnCode);
    await merchantClient(platform, shop).getBinding(w.bindingId);
    tally('0000');

    const res = await call(platform, admin, 'GET', '/admin/figures?days=7');
    expect(res.statusCode, res.body).toBe(200);
    const figures = res.json().info;

    const db = platform.ctx.db;
    const programs = await db.selectFrom('programs').select('status').execute();
    const byStatus = { DRAFT: 0, IN_REVIEW: 0, LIVE: 0, SUSPENDED: 0 } as Record<string, number>;
    for (const p of programs) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    expect(figures.programs).toEqual(byStatus);
    expect(byStatus).toEqual({ DRAFT: 1, IN_REVIEW: 1, LIVE: 2, SUSPENDED: 1 });
    expect(figures.pendingRevisions).toBe(1);

    const bindings = await db.selectFrom('bindings').selectAll().execute();
    expect(figures.activeCards).toBe(bindings.filter((b) => b.state === 'ACTIVE').length);
    const day = '2026-11-27';
    const today = figures.bindingsPerDay.find((d: { day: string }) => d.day === day);
    expect(today).toEqual({
      day,
      started: bindings.filter((b) => b.created_at.startsWith(day)).length,
      completed: bindings.filter((b) => b.completed_at?.startsWith(day)).length,
      cancelled: bindings.filter((b) => b.state === 'CANCELLED' && b.ended_at?.startsWith(day)).length,
      expired: bindings.filter((b) => b.state === 'EXPIRED' && b.ended_at?.startsWith(day)).length,
    });
    expect(today).toMatchObject({ started: 6, completed: 3, cancelled: 1, expired: 1 });
    expect(figures.bindingsPerDay).toHaveLength(7);

    const byCode = Object.fromEntries(
      figures.merchantApi.byReturnCode.map((r: { returnCode: string; calls: number }) => [
        r.returnCode,
        r.calls,
      ]),
    );
    expect(byCode).toEqual(calls);
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    expect(figures.merchantApi.calls).toBe(total);
    expect(figures.merchantApi.errorRate).toBeCloseTo((total - (calls['0000'] ?? 0)) / total, 10);

    const outbox = await db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('channel_id', '=', shop.channelId)
      .execute();
    const hooks = figures.webhooks.find((h: { channelId: string }) => h.channelId === shop.channelId);
    expect(hooks).toMatchObject({
      delivered: outbox.filter((o) => o.delivered_at !== null).length,
      pending: outbox.filter((o) => o.delivered_at === null && o.attempts === 0).length,
    });
    expect(outbox.length).toBeGreaterThan(0);
  });
});
