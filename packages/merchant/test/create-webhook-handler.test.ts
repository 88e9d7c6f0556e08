import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import { createWebhookHandler, type WebhookEvent, type WebhookOptions } from '../src/index.js';
import { CHANNEL_ID, CHANNEL_SECRET } from './support/fake-platform.js';
import { postSignedWebhook } from './support/signed-webhook.js';

const EVENT: WebhookEvent = {
  id: 'evt_handler_1',
  type: 'card.unbound',
  createdAt: '2025-06-01T12:00:00.000Z',
  channelId: CHANNEL_ID,
  data: { bindingId: 'b_0123456789abcdefghijkl', reason: 'user' },
};

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves the handler on 127.0.0.1; `prepare` plays a body parser (e.g. express.raw()). */
async function serve(
  options: WebhookOptions,
  prepare?: (req: IncomingMessage & { body?: unknown }) => Promise<void>,
) {
  const handler = createWebhookHandler(options);
  server = createServer(async (req, res) => {
    await prepare?.(req);
    await handler(req, res);
  });
  await new Promise<void>((resolve) => defined(server).listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createWebhookHandler (node:http)', () => {
  it('verifies, calls onEvent once, answers 200 0000', async () => {
    const events: WebhookEvent[] = [];
    const base = await serve({ channelSecret: CHANNEL_SECRET, onEvent: (e) => void events.push(e) });
    const res = await postSignedWebhook(`${base}/mycard/webhook?x=1`, JSON.stringify(EVENT));
    expect(res).toEqual({ status: 200, body: { returnCode: '0000', returnMessage: 'Success.' } });
    expect(events).toEqual([EVENT]);
  });

  it('answers 401 1106 to a bad signature, without calling onEvent', async () => {
    const errors: unknown[] = [];
    const events: WebhookEvent[] = [];
    const base = await serve({
      channelSecret: CHANNEL_SECRET,
      onEvent: (e) => void events.push(e),
      onError: (e) => void errors.push(e),
    });
    const res = await postSignedWebhook(
      `${base}/mycard/webhook`,
      JSON.stringify(EVENT),
      '/mycard/webhook',
      'c'.repeat(64),
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ returnCode: '1106', returnMessage: expect.any(String) });
    expect(events).toHaveLength(0);
    expect(errors).toHaveLength(1);
  });

  it('answers 413 2102 to a body over 16 KiB', async () => {
    const base = await serve({ channelSecret: CHANNEL_SECRET, onEvent: () => {} });
    const big = JSON.stringify({ ...EVENT, data: { ...EVENT.data, reason: 'x'.repeat(17 * 1024) } });
    const res = await postSignedWebhook(`${base}/mycard/webhook`, big);
    expect(res).toMatchObject({ status: 413, body: { returnCode: '2102' } });
  });

  it('answers 500 9000 when onEvent throws, so the platform retries; no detail leaks', async () => {
    const errors: unknown[] = [];
    const base = await serve({
      channelSecret: CHANNEL_SECRET,
      onEvent: () => {
        throw new Error('database is down at 10.0.0.5');
      },
      onError: (e) => void errors.push(e),
    });
    const res = await postSignedWebhook(`${base}/mycard/webhook`, JSON.stringify(EVENT));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ returnCode: '9000', returnMessage: 'Internal error.' });
    expect((errors[0] as Error).cause).toMatchObject({ message: 'database is down at 10.0.0.5' });
  });

  it('uses a body already read as a Buffer (express.raw())', async () => {
    const events: WebhookEvent[] = [];
    const base = await serve(
      { channelSecret: CHANNEL_SECRET, onEvent: (e) => void events.push(e) },
      async (req) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        req.body = Buffer.concat(chunks);
      },
    );
    expect((await postSignedWebhook(`${base}/mycard/webhook`, JSON.stringify(EVENT))).status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('answers 500 when a JSON parser already consumed the body', async () => {
    const errors: unknown[] = [];
    const base = await serve(
      { channelSecret: CHANNEL_SECRET, onEvent: () => {}, onError: (e) => void errors.push(e) },
      async (req) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        req.body = JSON.parse(Buffer.concat(chunks).toString());
      },
    );
    expect((await postSignedWebhook(`${base}/mycard/webhook`, JSON.stringify(EVENT))).status).toBe(500);
    expect(errors[0]).toBeInstanceOf(TypeError);
  });

  it('verifies against the configured path when a proxy rewrote it', async () => {
    const base = await serve({
      channelSecret: CHANNEL_SECRET,
      path: '/public/hooks/mycard',
      onEvent: () => {},
    });
    const rewritten = `${base}/mycard/webhook`;
    expect((await postSignedWebhook(rewritten, JSON.stringify(EVENT), '/public/hooks/mycard')).status).toBe(
      200,
    );
    expect((await postSignedWebhook(rewritten, JSON.stringify(EVENT), '/mycard/webhook')).status).toBe(401);
  });
});
