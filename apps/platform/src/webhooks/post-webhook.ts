import * as http from 'node:http';
import * as https from 'node:https';
import { createSafeLookup, literalAddressRefused, WebhookDestinationError } from './webhook-destination.js';

export interface PostWebhookOptions {
  /** Private addresses and plain http allowed (development, MYCARD_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** The TCP (and TLS) connection must be up within this (ms): a dead host fails fast. */
  connectTimeoutMs: number;
  /** The whole attempt, until the response status arrives (ms): a tarpit fails here. */
  timeoutMs: number;
}

/** The outcome of one attempt: the HTTP status, or a short reason when there was none. */
export type PostWebhookResult = { status: number } | { error: string };

/**
 * One webhook POST (PROTOCOL.md §6) over node:http(s) with the safe `lookup` of
 * webhook-destination.ts on a fresh connection (no agent: each attempt resolves and checks again),
 * redirects never followed (a 3xx is just a failed attempt), the response body never read.
 */
export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: PostWebhookOptions,
): Promise<PostWebhookResult> {
  if (!options.allowPrivate && url.protocol !== 'https:')
    return Promise.resolve({ error: 'webhook_not_https' });
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return Promise.resolve({ error: 'webhook_scheme' });
  if (literalAddressRefused(url, options.allowPrivate)) {
    return Promise.resolve({ error: 'webhook_private_address' });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostWebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connect);
      request.destroy();
      resolve(result);
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      agent: false,
      lookup: createSafeLookup(options.allowPrivate),
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    let connect: NodeJS.Timeout | undefined;
    const total = setTimeout(() => finish({ error: 'timeout' }), options.timeoutMs);
    request.on('socket', (socket) => {
      connect = setTimeout(() => finish({ error: 'connect_timeout' }), options.connectTimeoutMs);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connect));
    });
    request.on('response', (response) => {
      finish({ status: response.statusCode ?? 0 });
    });
    request.on('error', (err) => {
      finish({ error: err instanceof WebhookDestinationError ? 'webhook_private_address' : 'network_error' });
    });
    request.end(body);
  });
}
