import { MyCardError } from '@mycard/protocol';
import {
  errorAnswer,
  processWebhookDelivery,
  WEBHOOK_MAX_BODY_BYTES,
  type WebhookAnswer,
  type WebhookOptions,
} from './process-webhook-delivery.js';

/**
 * The parts of a Node `IncomingMessage` (or an Express request) the handler uses.
 *
 * @example
 * ```ts
 * const req: NodeRequestLike = incomingMessage;
 * ```
 */
export interface NodeRequestLike {
  url?: string;
  /** Express: the URL before router mounting stripped its prefix. */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Set by a body parser: a Buffer (e.g. `express.raw()`) or a string (`express.text()`) works. */
  body?: unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * The parts of a Node `ServerResponse` (or an Express response) the handler uses.
 *
 * @example
 * ```ts
 * const res: NodeResponseLike = serverResponse;
 * ```
 */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(chunk: string): unknown;
}

/**
 * Creates a webhook endpoint for Node's `http` server or Express. It reads the raw body itself
 * (or takes a Buffer/string already read by `express.raw()`/`express.text()` — a body already
 * parsed into an object cannot be verified and is answered 500), verifies it with
 * {@link verifyWebhook}, calls `onEvent`, and answers 200 `{"returnCode":"0000"}` or the error
 * envelope (1106/1108 → 401, 2101 → 400, 2102 → 413, `onEvent` failure → 500 so the platform
 * retries).
 *
 * De-duplicate on `event.id` inside `onEvent`: the platform retries deliveries until it gets 2xx.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createWebhookHandler } from '@mycard/merchant';
 *
 * const app = express();
 * // Mount before any express.json(): the signature covers the raw bytes.
 * app.post('/mycard/webhook', createWebhookHandler({
 *   channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
 *   onEvent: async (event) => {
 *     if (!(await db.webhookEvents.insertIfNew(event.id))) return;
 *     if (event.type === 'card.unbound') await db.members.unlinkCard(event.data.bindingId);
 *   },
 * }));
 * ```
 */
export function createWebhookHandler(
  options: WebhookOptions,
): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  const maxBytes = options.maxBodyBytes ?? WEBHOOK_MAX_BODY_BYTES;
  return async (req, res) => {
    let answer: WebhookAnswer;
    try {
      const rawBody = await readRawBody(req, maxBytes);
      const path = new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost').pathname;
      answer = await processWebhookDelivery({ headers: req.headers, rawBody, path }, options);
    } catch (error) {
      answer = errorAnswer(error, options);
    }
    res.statusCode = answer.status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(answer.body));
  };
}

async function readRawBody(req: NodeRequestLike, maxBytes: number): Promise<string | Uint8Array> {
  const tooLarge = () => new MyCardError('2102', 'body_too_large');
  if (req.body instanceof Uint8Array || typeof req.body === 'string') {
    const size = typeof req.body === 'string' ? new TextEncoder().encode(req.body).length : req.body.length;
    if (size > maxBytes) throw tooLarge();
    return req.body;
  }
  if (req.body !== undefined) {
    throw new TypeError('The request body was already parsed: mount the webhook handler before body parsers');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  return readStream(req, maxBytes, tooLarge);
}

/**
 * Reads the body with listeners rather than an async iterator: leaving an iterator early destroys
 * the socket, and the 413 answer would never reach the platform.
 */
function readStream(req: NodeRequestLike, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const cleanup = () => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.length;
      // Stop collecting at the limit: a chunked body gives no length up front.
      if (size > maxBytes) {
        cleanup();
        reject(tooLarge());
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      cleanup();
      const body = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.length;
      }
      resolve(body);
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
