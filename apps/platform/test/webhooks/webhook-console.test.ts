import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDueWebhooks } from '../../src/webhooks/dispatch-webhooks.js';
import { enqueueWebhook } from '../../src/webhooks/enqueue-webhook.js';
import { call, createTestProgram, signUp } from '../console/console-client.js';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { startRecorder } from './webhook-receiver.js';

/** Issue 9.4: the console lists a program's recent deliveries and resends one. */
describe.each(DIALECTS)('console webhook deliveries on %s', (dialect) => {
  let platform: TestPlatform;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
    recorder = await startRecorder();
  });
  afterAll(async () => {
    await platform?.close();
    await recorder?.close();
  });

  it('shows attempts, last status and next retry; resends with the same event id; only to the owner', async () => {
    const owner = await signUp(platform, `hooks-${dialect}@shop.example`);
    const other = await signUp(platform, `other-${dialect}@shop.example`);
    const { channelId } = await createTestProgram(platform, owner, { webhookUrl: recorder.url });
    const program = { channelId, webhookUrl: recorder.url };
    await platform.ctx.db.transaction().execute((trx) =>
      enqueueWebhook(platform.ctx, trx, program, {
        type: 'card.unbound',
        data: { bindingId: 'b'.repeat(22), reason: 'merchant' },
      } as never),
    );
    recorder.setStatus(500);
    await dispatchDueWebhooks(platform.ctx);
    let list = await call(platform, owner, 'GET', `/programs/${channelId}/webhooks`);
    expect(list.statusCode).toBe(200);
    const [first] = list.json().info.deliveries;
    expect(first).toMatchObject({
      type: 'card.unbound',
      attempts: 1,
      lastStatus: 500,
      lastError: 'http_500',
      deliveredAt: null,
      state: 'pending',
    });
    expect(Date.parse(first.nextAttemptAt)).toBeGreaterThan(Date.now() + 20_000);

    // Another operator sees nothing and cannot resend it.
    expect((await call(platform, other, 'GET', `/programs/${channelId}/webhooks`)).json().returnCode).toBe(
      '4003',
    );
    const foreign = await call(
      platform,
      other,
      'POST',
      `/programs/${channelId}/webhooks/${first.eventId}/resend`,
      {},
    );
    expect(foreign.json().returnCode).toBe('4003');
    const unknown = await call(
      platform,
      owner,
      'POST',
      `/programs/${channelId}/webhooks/evt_unknown/resend`,
      {},
    );
    expect(unknown.json().returnCode).toBe('4004');

    recorder.setStatus(200);
    const resend = await call(
      platform,
      owner,
      'POST',
      `/programs/${channelId}/webhooks/${first.eventId}/resend`,
      {},
    );
    expect(resend.json().returnCode).toBe('0000');
    expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 1, failed: 0 });
    list = await call(platform, owner, 'GET', `/programs/${channelId}/webhooks`);
    expect(list.json().info.deliveries[0]).toMatchObject({
      eventId: first.eventId,
      attempts: 2,
      lastStatus: 200,
      state: 'delivered',
      nextAttemptAt: null,
    });
    expect(recorder.events.map((e) => e.id)).toEqual([first.eventId]);
  });
});
