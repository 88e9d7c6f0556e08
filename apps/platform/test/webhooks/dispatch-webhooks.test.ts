import { createServer, type Server } from 'node:http';
import { verifyWebhook, type WebhookEvent } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { dispatchDueWebhooks, webhookBackoffSeconds } from '../../src/webhooks/dispatch-webhooks.js';
import { addCard } from '../helpers/cards.js';
import { code, type HttpPlatform, startHttpPlatform } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

/** A merchant's webhook endpoint that verifies each delivery with the SDK. */
async function startReceiver(secret: () => string) {
  const received: WebhookEvent[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const event = await verifyWebhook({
          headers: req.headers as Record<string, string>,
          rawBody: Buffer.concat(chunks),
          path: '/mycard/webhook',
          channelSecret: secret(),
        });
        if (status === 200) received.push(event);
        res.writeHead(status).end();
      } catch {
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mycard/webhook`,
    received,
    setStatus: (s: number) => {
      status = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(DIALECTS)('webhook outbox dispatcher on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let secret = '';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, {}, { now: clock.now });
    receiver = await startReceiver(() => secret);
  });
  afterAll(async () => {
    await platform?.close();
    await receiver?.close();
  });
  const outbox = () => platform.ctx.db.selectFrom('webhook_outbox').selectAll().orderBy('id').execute();

  it('delivers signed events, retries with backoff, marks 2xx delivered', async () => {
    const creds = await platform.program({ webhookUrl: receiver.url });
    secret = creds.channelSecret;
    const w = await platform.wallet('h1');
    receiver.setStatus(503);
    const bindingId = await addCard(platform, w, creds, code(7001));
    expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 0, failed: 1 });
    let [row] = await outbox();
    expect([defined(row).attempts, defined(row).delivered_at, defined(row).last_error]).toEqual([
      1,
      null,
      'http_503',
    ]);
    expect(Date.parse(defined(row).next_attempt_at) - clock.now().getTime()).toBe(30_000);
    // Not due yet: nothing happens.
    expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 0, failed: 0 });
    clock.advance(30);
    expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 0, failed: 1 });
    [row] = await outbox();
    expect(Date.parse(defined(row).next_attempt_at) - clock.now().getTime()).toBe(60_000);
    receiver.setStatus(200);
    clock.advance(60);
    expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 1, failed: 0 });
    [row] = await outbox();
    expect(defined(row).delivered_at).not.toBeNull();
    expect(receiver.received).toEqual([
      {
        id: defined(row).event_id,
        type: 'card.completed',
        createdAt: expect.any(String),
        channelId: creds.channelId,
        data: { bindingId, membershipCode: code(7001) },
      },
    ]);
    expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 0, failed: 0 });
  });

  it('backs off 30 s, 1 min, 2 min … up to 1 h, and gives up after 24 h', async () => {
    expect([1, 2, 3, 4, 8, 20].map(webhookBackoffSeconds)).toEqual([30, 60, 120, 240, 3600, 3600]);
    const creds = await platform.program({ webhookUrl: 'http://127.0.0.1:9/unreachable' });
    const w = await platform.wallet('h2');
    await addCard(platform, w, creds, code(7002));
    const mine = async () => defined((await outbox()).find((r) => r.channel_id === creds.channelId));
    for (let i = 0; i < 40; i++) {
      await dispatchDueWebhooks(platform.ctx);
      const row = await mine();
      if (row.last_error?.startsWith('abandoned')) break;
      clock.set(new Date(row.next_attempt_at));
    }
    const row = await mine();
    expect(row.last_error).toMatch(/^abandoned/);
    expect(row.delivered_at).toBeNull();
    expect(Date.parse(row.created_at) + 24 * 3600_000).toBeGreaterThan(clock.now().getTime() - 3600_000);
  });

  it('runs by itself when webhookPollMs > 0', async () => {
    const live = await startHttpPlatform(dialect, { webhookPollMs: 20 });
    try {
      const creds = await live.program({ webhookUrl: receiver.url });
      secret = creds.channelSecret;
      const w = await live.wallet('h3');
      const bindingId = await addCard(live, w, creds, code(7003));
      const deadline = Date.now() + 5000;
      while (!receiver.received.some((e) => e.data.bindingId === bindingId) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(receiver.received.some((e) => e.data.bindingId === bindingId)).toBe(true);
    } finally {
      await live.close();
    }
  });
});
