import { createSignatureHeaders } from '@mycard/protocol';

/**
 * Input of {@link generateTestSignatureHeaders}.
 *
 * @example
 * ```ts
 * const input: TestSignatureInput = { channelId: '1234567890', channelSecret, path: '/mycard/webhook', body };
 * ```
 */
export interface TestSignatureInput {
  channelId: string;
  channelSecret: string;
  /** The request pathname that will be verified, e.g. your webhook path. */
  path: string;
  /** The exact body you will send (POST), or the query string without `?` (GET). */
  body: string | Uint8Array;
  /** Default: a random UUID. Pass a UUIDv7 to test your clock window, or a fixed one for replays. */
  nonce?: string;
}

/**
 * Signs a request the way the platform signs webhook deliveries (and merchants sign API calls,
 * PROTOCOL.md §3), for your own tests: returns the `X-LINE-ChannelId`,
 * `X-LINE-Authorization-Nonce` and `X-LINE-Authorization` headers.
 *
 * @example
 * ```ts
 * import { generateTestSignatureHeaders } from '@mycard/merchant';
 *
 * const body = JSON.stringify({
 *   id: 'evt_1', type: 'card.unbound', createdAt: new Date().toISOString(), channelId: '1234567890',
 *   data: { bindingId: 'b_0123456789abcdefghijkl', reason: 'user' },
 * });
 * const headers = await generateTestSignatureHeaders({
 *   channelId: '1234567890', channelSecret: TEST_SECRET, path: '/mycard/webhook', body,
 * });
 * const res = await fetch(`${baseUrl}/mycard/webhook`, {
 *   method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body,
 * });
 * expect(res.status).toBe(200);
 * ```
 */
export function generateTestSignatureHeaders(input: TestSignatureInput): Promise<Record<string, string>> {
  return createSignatureHeaders({
    channelId: input.channelId,
    channelSecret: input.channelSecret,
    path: input.path,
    payload: input.body,
    nonce: input.nonce ?? globalThis.crypto.randomUUID(),
  });
}
