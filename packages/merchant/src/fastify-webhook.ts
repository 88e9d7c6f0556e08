import { MyCardError } from '@mycard/protocol';
import {
  errorAnswer,
  processWebhookDelivery,
  WEBHOOK_MAX_BODY_BYTES,
  type WebhookAnswer,
  type WebhookOptions,
} from './process-webhook-delivery.js';

/**
 * The parts of a Fastify reply the plugin uses.
 *
 * @example
 * ```ts
 * const reply: FastifyReplyLike = fastifyReply;
 * ```
 */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: string): unknown;
}

/**
 * The parts of a Fastify instance the plugin uses (structural: the SDK does not depend on Fastify).
 *
 * @example
 * ```ts
 * const instance: FastifyInstanceLike = app;
 * ```
 */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (request: unknown, body: Uint8Array, done: (error: Error | null, body?: unknown) => void) => void,
  ): unknown;
  setErrorHandler(
    handler: (error: { statusCode?: number }, request: unknown, reply: FastifyReplyLike) => unknown,
  ): unknown;
  post(
    path: string,
    handler: (
      request: { headers: Record<string, string | string[] | undefined>; body: unknown; url: string },
      reply: FastifyReplyLike,
    ) => Promise<unknown>,
  ): unknown;
}

/**
 * Options of {@link fastifyWebhook}: the {@link WebhookOptions} plus the route.
 *
 * @example
 * ```ts
 * const options: FastifyWebhookOptions = { url: '/mycard/webhook', channelSecret, onEvent };
 * ```
 */
export interface FastifyWebhookOptions extends WebhookOptions {
  /** The route, relative to the plugin's prefix; default `/mycard/webhook`. */
  url?: string;
}

/**
 * A Fastify plugin that serves the webhook endpoint. Register it without `fastify-plugin`: it
 * keeps bodies raw (for the signature) only inside its own encapsulated context, so your other
 * routes keep Fastify's JSON parser. Answers as {@link createWebhookHandler} does.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyWebhook } from '@mycard/merchant';
 *
 * const app = Fastify();
 * await app.register(fastifyWebhook({
 *   url: '/mycard/webhook',
 *   channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
 *   onEvent: async (event) => { if (await firstTime(event.id)) await handle(event); },
 * }));
 * ```
 */
export function fastifyWebhook(
  options: FastifyWebhookOptions,
): (instance: FastifyInstanceLike) => Promise<void> {
  const bodyLimit = options.maxBodyBytes ?? WEBHOOK_MAX_BODY_BYTES;
  const send = (reply: FastifyReplyLike, answer: WebhookAnswer) =>
    reply
      .code(answer.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(answer.body));

  return async (instance) => {
    // Every content type is read as raw bytes: the signature, not the header, decides.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    instance.setErrorHandler((error, _request, reply) => {
      const mapped = error.statusCode === 413 ? new MyCardError('2102', 'body_too_large') : error;
      return send(reply, errorAnswer(mapped, options));
    });
    instance.post(options.url ?? '/mycard/webhook', async (request, reply) => {
      const rawBody = request.body instanceof Uint8Array ? request.body : new Uint8Array(0);
      const path = new URL(request.url, 'http://localhost').pathname;
      return send(reply, await processWebhookDelivery({ headers: request.headers, rawBody, path }, options));
    });
  };
}
