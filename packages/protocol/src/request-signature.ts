import { type CryptoProvider, webCryptoProvider } from './crypto-provider.js';
import { decodeBase64, encodeBase64 } from './internal/base64.js';
import { isValidNonce } from './nonce.js';

/**
 * What an HMAC request signature covers (PROTOCOL.md §3).
 *
 * @example
 * ```ts
 * const input: SignatureInput = { channelSecret, path: '/v1/bindings/apply', payload: rawBody, nonce };
 * ```
 */
export interface SignatureInput {
  /** The channel secret (64 hex chars); its UTF-8 bytes are the HMAC key. */
  channelSecret: string;
  /** The request path only (`/v1/...`), no host, no query. */
  path: string;
  /** POST: the raw body bytes (or string) exactly as sent; GET: the query string without `?` (`''` if none). */
  payload: Uint8Array | string;
  nonce: string;
  /** The cryptography to use; default {@link webCryptoProvider}. */
  crypto?: CryptoProvider;
}

/**
 * The three authentication headers of a merchant API call (PROTOCOL.md §3).
 *
 * @example
 * ```ts
 * const nonce = req.headers[SIGNATURE_HEADERS.nonce.toLowerCase()];
 * ```
 */
export const SIGNATURE_HEADERS = {
  channelId: 'X-LINE-ChannelId',
  nonce: 'X-LINE-Authorization-Nonce',
  signature: 'X-LINE-Authorization',
} as const;

/** An HMAC-SHA256 output is 32 bytes. */
const SIGNATURE_LENGTH = 32;
/** Base64 of 32 bytes is 44 characters; longer input is refused before decoding. */
const SIGNATURE_TEXT_LENGTH = 44;
const utf8 = new TextEncoder();

/**
 * The signed message: UTF-8 of `channelSecret + path`, then the payload bytes, then UTF-8 of
 * `nonce`. A string payload is UTF-8 encoded; bytes are used as they are, so a POST body must be
 * passed as received, never re-serialized.
 *
 * @example
 * ```ts
 * const message = signatureMessage({ channelSecret, path: '/v1/cards/profile', payload: rawBody, nonce });
 * ```
 */
export function signatureMessage(input: SignatureInput): Uint8Array<ArrayBuffer> {
  const head = utf8.encode(input.channelSecret + input.path);
  const payload = typeof input.payload === 'string' ? utf8.encode(input.payload) : input.payload;
  const tail = utf8.encode(input.nonce);
  const message = new Uint8Array(head.length + payload.length + tail.length);
  message.set(head, 0);
  message.set(payload, head.length);
  message.set(tail, head.length + payload.length);
  return message;
}

/**
 * A channel secret with its HMAC key made once (by {@link prepareChannelSecret}): a server that
 * keeps these in memory verifies a call without importing or decrypting anything.
 *
 * @example
 * ```ts
 * const prepared = await prepareChannelSecret(secret, provider);
 * await verifyRequestSignature({ channelSecrets: [prepared], path, payload, nonce, signature });
 * ```
 */
export interface PreparedChannelSecret {
  readonly secret: string;
  /** The provider's HMAC handle for `secret`. */
  readonly key: unknown;
  readonly crypto: CryptoProvider;
}

/**
 * Makes the HMAC key of a channel secret once, for {@link verifyRequestSignature} and
 * {@link signRequest}.
 *
 * @example
 * ```ts
 * const prepared = await prepareChannelSecret(channelSecret);
 * ```
 */
export async function prepareChannelSecret(
  secret: string,
  crypto: CryptoProvider = webCryptoProvider,
): Promise<PreparedChannelSecret> {
  if (typeof secret !== 'string' || secret === '')
    throw new TypeError('channel secret must be a non-empty string');
  return Object.freeze({ secret, key: await crypto.importHmacKey(secret), crypto });
}

/**
 * Signs a request: Base64 (standard, padded) of HMAC-SHA256 with key = UTF-8 of the channel
 * secret over {@link signatureMessage}.
 *
 * @example
 * ```ts
 * const signature = await signRequest({ channelSecret, path: '/v1/bindings/apply', payload: body, nonce });
 * headers['X-LINE-Authorization'] = signature;
 * ```
 */
export async function signRequest(input: SignatureInput): Promise<string> {
  const crypto = input.crypto ?? webCryptoProvider;
  const key = await crypto.importHmacKey(input.channelSecret);
  return encodeBase64(await crypto.hmacSha256(key, signatureMessage(input)));
}

/**
 * Input of {@link verifyRequestSignature}.
 *
 * @example
 * ```ts
 * const input: VerifyRequestSignatureInput = { channelSecrets: [current, previous], path, payload, nonce, signature };
 * ```
 */
export interface VerifyRequestSignatureInput {
  /**
   * Every secret currently accepted for the channel: during rotation, the new and the old one; as
   * text or prepared once ({@link prepareChannelSecret}, verified with the provider it was made by).
   */
  channelSecrets: readonly (string | PreparedChannelSecret)[];
  path: string;
  payload: Uint8Array | string;
  nonce: string;
  /** The `X-LINE-Authorization` header value. */
  signature: string;
  /** The cryptography for secrets given as text; default {@link webCryptoProvider}. */
  crypto?: CryptoProvider;
}

/**
 * Checks `signature` against each candidate secret (rotation overlap) in constant time — the
 * comparison is WebCrypto's own `verify` with an HMAC key — and returns the index of the first
 * matching secret, or -1. Malformed Base64 or a wrong length gives -1: it never throws on
 * attacker input. Every candidate is tried, so the time taken does not tell which one matched.
 *
 * @example
 * ```ts
 * const index = await verifyRequestSignature({
 *   channelSecrets: [channel.secret, channel.previousSecret].filter(Boolean),
 *   path: '/v1/bindings/apply', payload: rawBody, nonce, signature: req.headers['x-line-authorization'],
 * });
 * if (index < 0) throw new SignatureError();
 * ```
 */
export async function verifyRequestSignature(input: VerifyRequestSignatureInput): Promise<number> {
  const { signature } = input;
  if (typeof signature !== 'string' || signature.length !== SIGNATURE_TEXT_LENGTH) return -1;
  const mac = decodeBase64(signature);
  if (!mac || mac.length !== SIGNATURE_LENGTH) return -1;
  let match = -1;
  for (let i = 0; i < input.channelSecrets.length; i++) {
    const candidate = input.channelSecrets[i];
    const prepared = typeof candidate === 'object' && candidate !== null ? candidate : undefined;
    const channelSecret = prepared ? prepared.secret : candidate;
    if (typeof channelSecret !== 'string' || channelSecret === '') continue;
    // The secret is part of the message as well as the key, so each candidate has its own message.
    const message = signatureMessage({
      channelSecret,
      path: input.path,
      payload: input.payload,
      nonce: input.nonce,
    });
    const crypto = prepared ? prepared.crypto : (input.crypto ?? webCryptoProvider);
    const key = prepared ? prepared.key : await crypto.importHmacKey(channelSecret);
    if ((await crypto.verifyHmacSha256(key, mac, message)) && match < 0) match = i;
  }
  return match;
}

/**
 * Builds the three authentication headers of a merchant API call, or of a webhook delivery
 * (there `path` is the pathname of the merchant's webhook URL and `payload` the raw body).
 * Throws a `TypeError` when the nonce does not fit {@link NONCE_PATTERN}.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ token, membershipCode });
 * const headers = await createSignatureHeaders({
 *   channelId, channelSecret, path: '/v1/bindings/apply', payload: body, nonce: crypto.randomUUID(),
 * });
 * await fetch(`${platformUrl}/v1/bindings/apply`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
 * ```
 */
export async function createSignatureHeaders(input: {
  channelId: string;
  channelSecret: string;
  path: string;
  payload: Uint8Array | string;
  nonce: string;
  /** The cryptography to use; default {@link webCryptoProvider}. */
  crypto?: CryptoProvider;
}): Promise<Record<string, string>> {
  if (!isValidNonce(input.nonce)) throw new TypeError('nonce must be 16-64 chars of [A-Za-z0-9._:-]');
  return {
    [SIGNATURE_HEADERS.channelId]: input.channelId,
    [SIGNATURE_HEADERS.nonce]: input.nonce,
    [SIGNATURE_HEADERS.signature]: await signRequest(input),
  };
}
