import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/program-repository.js';
import { createProgram } from '../../src/programs/program-repository.js';
import { createWebhookDispatcher } from '../../src/webhooks/dispatch-webhooks.js';
import { enqueueWebhook } from '../../src/webhooks/enqueue-webhook.js';
import { createClock, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { startRecorder, startTarpit, until } from './webhook-receiver.js';

/** Issue 9.3: one slow or failing endpoint never delays another program's deliveries. */
describe('webhook delivery isolation', () => {
  const clock = createClock(new Date());
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', {}, { now: clock.now });
  });
  afterAll(async () => {
    await platform?.close();
  });
  const program = async (webhookUrl: string) =>
    (
      await createProgram(platform.ctx, {
        name: 'P',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/bind',
        webhookUrl,
        status: 'LIVE',
      })
    ).program;
  const enqueue = (p: Program, n = 1) =>
    platform.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        await enqueueWebhook(platform.ctx, trx, p, {
          type: 'card.unbound',
          data: { bindingId: `b${i}`.padEnd(22, 'x'), reason: 'merchant' },
        } as never);
      }
    });
  const rowsOf = (p: Program) =>
    platform.ctx.db.selectFrom('webhook_outbox').selectAll().where('channel_id', '=', p.channelId).execute();

  it('4 events to a tarpit do not hold back another program: it is delivered while the tarpit still hangs', async () => {
    const tarpit = await startTarpit();
    const good = await startRecorder();
    try {
      const slow = await program(tarpit.url);
      const fast = await program(good.url);
      await enqueue(slow, 4);
      await enqueue(fast, 1);
      const dispatcher = createWebhookDispatcher(platform.ctx, { timeoutMs: 3000 });
      await dispatcher.tick();
      await until(() => good.events.length === 1);
      // At that moment the tarpit holds its connections unanswered: the good delivery did not
      // wait behind them, and the tarpit got at most 2 at a time (per-endpoint bound).
      expect(tarpit.open()).toBeGreaterThan(0);
      expect(tarpit.accepted()).toBeLessThanOrEqual(2);
      const { delivered, failed } = await dispatcher.drain();
      expect({ delivered, failed }).toEqual({ delivered: 1, failed: 2 });
      const slowRows = await rowsOf(slow);
      expect(slowRows.map((r) => r.last_error).sort()).toEqual([null, null, 'timeout', 'timeout']);
      // The two not attempted were given back, not left leased.
      expect(slowRows.every((r) => r.lease_owner === null)).toBe(true);
    } finally {
      await tarpit.close();
      await good.close();
    }
  });

  it('pauses an endpoint that keeps failing (circuit breaker), probes it later, never blocks others', async () => {
    await platform.ctx.db.deleteFrom('webhook_outbox').execute();
    const failing = await startRecorder();
    const good = await startRecorder();
    try {
      failing.setStatus(500);
      const bad = await program(failing.url);
      const fine = await program(good.url);
      await enqueue(bad, 5);
      const dispatcher = createWebhookDispatcher(platform.ctx);
      for (let i = 0; i < 3; i++) {
        await dispatcher.tick();
        await dispatcher.drain();
      }
      expect(failing.requests()).toBe(5);
      expect(dispatcher.breakers.state(bad.channelId)).toBe('open');
      // New events while it is open: the failing endpoint gets nothing, the other program its event.
      await enqueue(bad, 1);
      await enqueue(fine, 1);
      await dispatcher.tick();
      await dispatcher.drain();
      expect(failing.requests()).toBe(5);
      expect(good.events).toHaveLength(1);
      // After the pause (30 s) one probe goes through; it succeeds and the breaker closes.
      failing.setStatus(200);
      clock.advance(31);
      await dispatcher.tick();
      expect(await dispatcher.drain()).toEqual({ delivered: 1, failed: 0 });
      expect(failing.requests()).toBe(6);
      expect(dispatcher.breakers.state(bad.channelId)).toBe('closed');
      clock.advance(3600);
      for (let i = 0; i < 4; i++) {
        await dispatcher.tick();
        await dispatcher.drain();
      }
      const rows = await rowsOf(bad);
      expect(rows.every((r) => r.delivered_at !== null)).toBe(true);
      expect(new Set(failing.events.map((e) => e.id)).size).toBe(6);
    } finally {
      await failing.close();
      await good.close();
    }
  });
});
