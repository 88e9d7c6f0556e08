import {
  type ErrorEnvelope,
  MyCardError,
  RETURN_CODES,
  toErrorEnvelope,
  type WebhookEvent,
} from '@mycard/protocol';
import { type HeadersLike, verifyWebhook } from './verify-webhook.js';

/**
 * Options shared by the framework helpers ({@link createWebhookHandler}, {@link fastifyWebhook}).
 * Give `channelSecret`, or `channelSecrets` during a rotation.
 *
 * @example
 * ```ts
 * const options: WebhookOptions = {
 *   channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
 *   onEvent: async (event) => { if (await seen(event.id)) return; await handle(event); },
 * };
 * ```
 */
export interface WebhookOptions {
  channelSecret?: string;
  channelSecrets?: readonly string[];
  /** When given, deliveries for another channel are refused. */
  channelId?: string;
  /**
   * The pathname of your webhook URL as registered in the console (the signed path). Default: the
   * request's own pathname — set it when a proxy rewrites paths.
   */
  path?: string;
  /**
   * Called once per verified delivery; answer 2xx only after it resolves. Throwing makes the
   * platform retry later, so it must be safe to run twice: de-duplicate on `event.id`.
   */
  onEvent(event: WebhookEvent): void | Promise<void>;
  /** Sees every refused delivery and every `onEvent` failure (for logs); never changes the answer. */
  onError?(error: unknown): void;
  /** Largest accepted body in bytes; default 16 KiB (the protocol's body limit, §1). */
  maxBodyBytes?: number;
  /** The clock for the nonce window; default the system clock. */
  now?: () => Date;
}

/**
 * Default body limit of webhook deliveries: 16 KiB, as for merchant API bodies (PROTOCOL.md §1).
 *
 * @example
 * ```ts
 * createWebhookHandler({ channelSecret, onEvent, maxBodyBytes: WEBHOOK_MAX_BODY_BYTES * 2 });
 * ```
 */
export const WEBHOOK_MAX_BODY_BYTES = 16 * 1024;

/**
 * What to answer a webhook delivery: `{returnCode:'0000'}` with 200, or an error envelope (no
 * detail: the registry's message only) with the code's status.
 *
 * @example
 * ```ts
 * const { status, body }: WebhookAnswer = await processWebhookDelivery(delivery, options);
 * ```
 */
export interface WebhookAnswer {
  status: number;
  body: { returnCode: '0000'; returnMessage: string } | ErrorEnvelope;
}

/**
 * Verifies a delivery, runs `onEvent` and says what to answer (internal core of the framework
 * helpers). An `onEvent` failure answers 500 / 9000 so that the platform retries.
 *
 * @example
 * ```ts
 * const answer = await processWebhookDelivery({ headers, rawBody, path: '/mycard/webhook' }, options);
 * res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
 * ```
 */
export async function processWebhookDelivery(
  delivery: { headers: HeadersLike; rawBody: string | Uint8Array; path: string },
  options: WebhookOptions,
): Promise<WebhookAnswer> {
  let event: WebhookEvent;
  try {
    event = await verifyWebhook({
      headers: delivery.headers,
      rawBody: delivery.rawBody,
      path: options.path ?? delivery.path,
      ...(options.channelSecrets ? { channelSecrets: options.channelSecrets } : {}),
      ...(options.channelSecret !== undefined ? { channelSecret: options.channelSecret } : {}),
      ...(options.channelId !== undefined ? { channelId: options.channelId } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    return errorAnswer(error, options);
  }
  try {
    await options.onEvent(event);
  } catch (error) {
    // Whatever onEvent threw — even a MyCardError — is our failure, not the platform's: 9000.
    return errorAnswer(
      new MyCardError('9000', 'on_event_failed', 'onEvent failed.', { cause: error }),
      options,
    );
  }
  return { status: 200, body: { returnCode: '0000', returnMessage: RETURN_CODES['0000'].message } };
}

/**
 * The answer for an error: its envelope and status (a non-`MyCardError` is 9000), after telling
 * `onError`.
 *
 * @example
 * ```ts
 * return errorAnswer(new MyCardError('2102', 'body_too_large'), options); // 413
 * ```
 */
export function errorAnswer(error: unknown, options: Pick<WebhookOptions, 'onError'>): WebhookAnswer {
  try {
    options.onError?.(error);
  } catch {
    // A failing logger must not change the answer.
  }
  const { status, envelope } = toErrorEnvelope(error);
  return { status, body: envelope };
}
