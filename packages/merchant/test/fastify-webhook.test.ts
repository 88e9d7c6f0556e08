import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { fastifyWebhook, type WebhookEvent } from '../src/index.js';
import { CHANNEL_ID, CHANNEL_SECRET } from './support/fake-platform.js';
import { postSignedWebhook } from './support/signed-webhook.js';

const EVENT: WebhookEvent = {
  id: 'evt_fastify_1',
  type: 'card.completed',
  createdAt: '2025-06-01T12:00:00.000Z',
  channelId: CHANNEL_ID,
  data: { bindingId: 'b_0123456789abcdefghijkl', membershipCode: 'M-1' },
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
});

async function build(onEvent: (e: WebhookEvent) => void) {
  app = Fastify();
  await app.register(fastifyWebhook({ url: '/mycard/webhook', channelSecret: CHANNEL_SECRET, onEvent }));
  // A sibling route keeps Fastify's own JSON parsing.
  app.post('/other', async (request) => ({ echoed: request.body }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return base;
}

describe('fastifyWebhook', () => {
  it('verifies the raw body and answers 200 0000', async () => {
    const events: WebhookEvent[] = [];
    const base = await build((e) => void events.push(e));
    // Key order and spacing the Fastify JSON parser would not preserve: the raw bytes are verified.
    const body = `{ "data": ${JSON.stringify(EVENT.data)}, "id": "${EVENT.id}", "type": "card.completed", "createdAt": "${EVENT.createdAt}", "channelId": "${CHANNEL_ID}" }`;
    expect(await postSignedWebhook(`${base}/mycard/webhook`, body)).toEqual({
      status: 200,
      body: { returnCode: '0000', returnMessage: 'Success.' },
    });
    expect(events).toEqual([EVENT]);
  });

  it('answers envelopes for bad signatures and oversized bodies', async () => {
    const base = await build(() => {});
    expect(
      await postSignedWebhook(`${base}/mycard/webhook`, JSON.stringify(EVENT), '/elsewhere'),
    ).toMatchObject({
      status: 401,
      body: { returnCode: '1106' },
    });
    const big = JSON.stringify({ ...EVENT, data: { ...EVENT.data, reason: 'x'.repeat(17 * 1024) } });
    expect(await postSignedWebhook(`${base}/mycard/webhook`, big)).toMatchObject({
      status: 413,
      body: { returnCode: '2102' },
    });
  });

  it('leaves other routes with the normal JSON parser', async () => {
    const base = await build(() => {});
    const res = await fetch(`${base}/other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await res.json()).toEqual({ echoed: { a: 1 } });
  });
});
