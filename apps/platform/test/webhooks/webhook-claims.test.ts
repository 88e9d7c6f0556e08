import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJanitorOnce } from '../../src/merchant-auth/janitor.js';
import { createProgram, type Program } from '../../src/programs/program-repository.js';
import { claimDueWebhooks } from '../../src/webhooks/claim-webhooks.js';
import { createWebhookDispatcher } from '../../src/webhooks/dispatch-webhooks.js';
import { enqueueWebhook } from '../../src/webhooks/enqueue-webhook.js';
import { createClock, DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { startRecorder } from './webhook-receiver.js';

/** Issue 9.4: each event is claimed by one instance at a time; background work is done once. */
describe.each(DIALECTS)('webhook claims and the janitor lease on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: TestPlatform;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, {}, { now: clock.now });
    recorder = await startRecorder();
  });
  afterAll(async () => {
    await platform?.close();
    await recorder?.close();
  });
  const program = async () =>
    (
      await createProgram(platform.ctx, {
        name: 'P',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/bind',
        webhookUrl: recorder.url,
        status: 'LIVE',
      })
    ).program;
  const enqueue = (p: Program, n: number) =>
    platform.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        await enqueueWebhook(platform.ctx, trx, p, {
          type: 'card.unbound',
          data: { bindingId: `b${i}`.padEnd(22, 'x'), reason: 'merchant' },
        } as never);
      }
    });

  it('two dispatchers polling the same outbox in parallel deliver each of 60 events exactly once', async () => {
    const programs = await Promise.all([program(), program(), program()]);
    for (const p of programs) await enqueue(p, 20);
    const a = createWebhookDispatcher(platform.ctx, { owner: 'instance-a', concurrency: 6 });
    const b = createWebhookDispatcher(platform.ctx, { owner: 'instance-b', concurrency: 6 });
    const pending = async () =>
      Number(
        (
          await platform.ctx.db
            .selectFrom('webhook_outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('delivered_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (let round = 0; round < 40 && (await pending()) > 0; round++) {
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all([a.drain(), b.drain()]);
    expect(await pending()).toBe(0);
    const ids = recorder.events.map((e) => e.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it('an event claimed by an instance that died is delivered by another once the lease runs out', async () => {
    recorder.events.length = 0;
    const p = await program();
    await enqueue(p, 3);
    const claimed = await claimDueWebhooks(platform.ctx, {
      owner: 'dead-instance',
      limit: 10,
      leaseMs: 60_000,
      skipChannels: [],
    });
    expect(claimed).toHaveLength(3);
    const survivor = createWebhookDispatcher(platform.ctx, { owner: 'survivor' });
    await survivor.tick();
    await survivor.drain();
    expect(recorder.events).toHaveLength(0);
    clock.advance(61);
    for (let i = 0; i < 2; i++) {
      await survivor.tick();
      await survivor.drain();
    }
    expect(recorder.events.map((e) => e.id).sort()).toEqual(claimed.map((r) => r.event_id).sort());
  });

  it('runs the janitor once per interval across instances', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => runJanitorOnce(platform.ctx)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await runJanitorOnce(platform.ctx)).toBe(false);
    clock.advance(10 * 60);
    expect(await runJanitorOnce(platform.ctx)).toBe(true);
  });
});
