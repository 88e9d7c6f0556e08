import {
  checkNonceTime,
  isValidNonce,
  MyCardError,
  SIGNATURE_HEADERS,
  SignatureError,
  verifyRequestSignature,
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
} from '@mycard/protocol';

/**
 * Request headers: a Fetch `Headers` (or anything with `get(name)`), or a plain object with
 * header names in any case, such as Node's `req.headers`.
 *
 * @example
 * ```ts
 * const headers: HeadersLike = req.headers; // or request.headers in a fetch handler
 * ```
 */
export type HeadersLike =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

/**
 * Input of {@link verifyWebhook}. Give `channelSecret`, or `channelSecrets` during a secret
 * rotation (both the new and the old secret).
 *
 * @example
 * ```ts
 * const input: VerifyWebhookInput = { headers: req.headers, rawBody, path: '/mycard/webhook', channelSecret };
 * ```
 */
export interface VerifyWebhookInput {
  headers: HeadersLike;
  /** The request body exactly as received: never a re-serialized parsed body. */
  rawBody: string | Uint8Array;
  /** The pathname of your webhook URL as registered, e.g. `/mycard/webhook` (the signed path). */
  path: string;
  channelSecret?: string;
  channelSecrets?: readonly string[];
  /** When given, the delivery must be for this channel. */
  channelId?: string;
  /** The clock for the nonce time window; default the system clock. */
  now?: () => Date;
}

/** Event ids and similar strings beyond this length are not the platform's. */
const MAX_ID_LENGTH = 256;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Verifies a webhook delivery of the platform (PROTOCOL.md §6) and returns its event. Deliveries
 * are signed like merchant API calls (§3): `X-LINE-ChannelId`, `X-LINE-Authorization-Nonce` and
 * `X-LINE-Authorization` = Base64(HMAC-SHA256(secret, secret + path + raw body + nonce)).
 *
 * Throws {@link SignatureError} (1106) when a header is missing, repeated or malformed, the
 * signature does not match, or the channel of the header, the event and `channelId` differ;
 * `MyCardError` 1108 when a time-based (UUIDv1/v7) nonce is more than 300 s off; `MyCardError`
 * 2101 when the body is not a webhook event.
 *
 * **De-duplicate on `event.id`.** Deliveries are retried until you answer 2xx, so the same event
 * can arrive more than once: record processed ids (for at least a few days) and skip repeats.
 * The signature proves origin, not freshness: a UUIDv4 nonce is not time-checked, so the id is
 * also what stops a replayed delivery.
 *
 * @example
 * ```ts
 * const event = await verifyWebhook({
 *   headers: req.headers, rawBody: req.body, path: '/mycard/webhook',
 *   channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
 * });
 * if (!(await db.events.insertIfNew(event.id))) return res.sendStatus(200); // already handled
 * if (event.type === 'card.completed') await members.linkCard(event.data.membershipCode, event.data.bindingId);
 * ```
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<WebhookEvent> {
  const secrets = secretsOf(input);
  if (typeof input.rawBody !== 'string' && !(input.rawBody instanceof Uint8Array)) {
    throw new TypeError('rawBody must be the raw request body (string or bytes), not a parsed object');
  }
  if (typeof input.path !== 'string' || !input.path.startsWith('/')) {
    throw new TypeError('path must be the pathname of your webhook URL, e.g. "/mycard/webhook"');
  }
  const channelId = readHeader(input.headers, SIGNATURE_HEADERS.channelId);
  const nonce = readHeader(input.headers, SIGNATURE_HEADERS.nonce);
  const signature = readHeader(input.headers, SIGNATURE_HEADERS.signature);
  if (channelId === undefined || nonce === undefined || signature === undefined) {
    throw new SignatureError('header_missing', 'A signature header is missing.');
  }
  if (!/^\d{10}$/.test(channelId) || !isValidNonce(nonce)) {
    throw new SignatureError('header_malformed', 'A signature header is malformed.');
  }
  const match = await verifyRequestSignature({
    channelSecrets: secrets,
    path: input.path,
    payload: input.rawBody,
    nonce,
    signature,
  });
  if (match < 0) throw new SignatureError('signature_invalid', 'Signature mismatch.');
  checkNonceTime(nonce, (input.now ?? (() => new Date()))());

  const event = parseEvent(input.rawBody);
  if (event.channelId !== channelId || (input.channelId !== undefined && input.channelId !== channelId)) {
    throw new SignatureError('channel_mismatch', 'The delivery is for another channel.');
  }
  return event;
}

function secretsOf(input: VerifyWebhookInput): readonly string[] {
  const { channelSecret, channelSecrets } = input;
  const secrets = channelSecret === undefined ? channelSecrets : [channelSecret];
  if (secrets === undefined || (channelSecret !== undefined && channelSecrets !== undefined)) {
    throw new TypeError('Give exactly one of channelSecret, channelSecrets');
  }
  if (secrets.length === 0 || !secrets.every((s) => typeof s === 'string' && s !== '')) {
    throw new TypeError('channel secrets must be non-empty strings');
  }
  return secrets;
}

/** One header value, or `undefined` when absent or sent more than once (ambiguous). */
function readHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof headers.get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    // Fetch joins repeated headers with ", "; none of ours can contain a comma legitimately.
    return value === null || value.includes(',') ? undefined : value;
  }
  const lower = name.toLowerCase();
  let found: string | string[] | undefined;
  let count = 0;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === lower && value !== undefined) {
      found = value;
      count++;
    }
  }
  if (count !== 1) return undefined;
  const value = Array.isArray(found) ? (found.length === 1 ? found[0] : undefined) : found;
  return typeof value === 'string' && !value.includes(',') ? value : undefined;
}

function invalidEvent(detail: string): MyCardError {
  return new MyCardError('2101', 'webhook_event_invalid', `Not a webhook event: ${detail}.`);
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= MAX_ID_LENGTH;
}

function parseEvent(rawBody: string | Uint8Array): WebhookEvent {
  let value: unknown;
  try {
    value = JSON.parse(typeof rawBody === 'string' ? rawBody : utf8.decode(rawBody));
  } catch {
    throw invalidEvent('the body is not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidEvent('not an object');
  const event = value as Record<string, unknown>;
  if (!isShortString(event.id)) throw invalidEvent('id');
  if (!(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(event.type)) throw invalidEvent('type');
  if (typeof event.createdAt !== 'string' || Number.isNaN(Date.parse(event.createdAt))) {
    throw invalidEvent('createdAt');
  }
  if (typeof event.channelId !== 'string' || !/^\d{10}$/.test(event.channelId))
    throw invalidEvent('channelId');
  const data = event.data as Record<string, unknown> | null | undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalidEvent('data');
  if (!isShortString(data.bindingId)) throw invalidEvent('data.bindingId');
  for (const name of ['membershipCode', 'reason'] as const) {
    if (data[name] !== undefined && typeof data[name] !== 'string') throw invalidEvent(`data.${name}`);
  }
  return value as WebhookEvent;
}
