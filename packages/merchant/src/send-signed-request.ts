import { createSignatureHeaders } from '@mycard/protocol';
import { MyCardApiError, MyCardNetworkError } from './errors.js';
import {
  backoffDelay,
  type ClientTimers,
  neverReachedServer,
  parseRetryAfter,
  type RetryPolicy,
} from './retry-policy.js';

/**
 * A `fetch`-compatible function (the global one, undici's with a proxy agent, a counting wrapper…).
 *
 * @example
 * ```ts
 * const viaProxy: FetchLike = (url, init) => fetch(url, { ...init, dispatcher: proxyAgent } as RequestInit);
 * ```
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Everything a signed call needs besides the call itself; built once by `createMyCardClient`.
 *
 * @example
 * ```ts
 * const transport: Transport = {
 *   baseUrl: new URL('https://mycard.example'), channelId, channelSecret,
 *   fetch: globalThis.fetch, timeoutMs: 10_000, maxRetries: 2, userAgent: 'MyCardMerchant/0.1.0',
 *   timers: SYSTEM_TIMERS,
 * };
 * ```
 */
export interface Transport {
  /** The platform's URL; its pathname (without a trailing `/`) prefixes every API path. */
  baseUrl: URL;
  channelId: string;
  channelSecret: string;
  fetch: FetchLike;
  /** Per attempt, covering the response body too. */
  timeoutMs: number;
  maxRetries: number;
  userAgent: string;
  /** Retry waits and the per-attempt timer. */
  timers: ClientTimers;
}

/**
 * One merchant API call.
 *
 * @example
 * ```ts
 * const call: SignedCall = { method: 'POST', path: '/v1/cards/unbind', body: { bindingId }, retry: 'idempotent' };
 * ```
 */
export interface SignedCall {
  method: 'GET' | 'POST';
  /** The API path, e.g. `/v1/bindings/apply`. */
  path: string;
  /** GET only: the query string without `?`. */
  query?: string;
  /** POST only: serialized once; the exact string sent is the one signed. */
  body?: unknown;
  retry: RetryPolicy;
}

/** Largest `Retry-After` on a 5xx the SDK waits for itself; beyond it the error goes to the caller. */
const MAX_AUTO_RETRY_AFTER_SECONDS = 5;

/**
 * Sends a merchant API call signed per PROTOCOL.md §3 and returns the envelope's `info`.
 * Every attempt gets a fresh nonce (a random UUID) and so a fresh signature: a retry is a new
 * request to the platform, never a replay (1108). Retries follow `call.retry` (see
 * {@link RetryPolicy}); 4xx answers are never retried.
 *
 * @example
 * ```ts
 * const info = await sendSignedRequest<{ bindingId: string }>(transport, {
 *   method: 'POST', path: '/v1/cards/unbind', body: { bindingId }, retry: 'idempotent',
 * });
 * ```
 */
export async function sendSignedRequest<T>(transport: Transport, call: SignedCall): Promise<T> {
  const prefix = transport.baseUrl.pathname.replace(/\/+$/, '');
  const url = new URL(transport.baseUrl.origin + prefix + call.path);
  if (call.query) url.search = call.query;
  // The signed path is the pathname actually sent, prefix included (§3: path without host).
  const path = url.pathname;
  const body = call.method === 'POST' ? JSON.stringify(call.body ?? {}) : undefined;
  const payload = body ?? call.query ?? '';

  for (let attempt = 0; ; attempt++) {
    const retried = attempt > 0;
    const canRetry = attempt < transport.maxRetries;
    let response: RawResponse;
    try {
      response = await attemptOnce(transport, url.href, path, call.method, payload, body);
    } catch (error) {
      const failure = toNetworkError(error, retried);
      const retryable =
        call.retry === 'idempotent' || (failure.code === 'network_error' && neverReachedServer(error));
      if (canRetry && retryable) {
        await transport.timers.sleep(backoffDelay(attempt));
        continue;
      }
      throw failure;
    }

    const outcome = readEnvelope<T>(response, retried);
    if (outcome.ok) return outcome.info;
    // 5xx: the platform failed; a repeat is harmless for idempotent calls only. A single-use
    // call may have been consumed before the failure, so its 5xx goes to the caller.
    if (response.status >= 500 && call.retry === 'idempotent' && canRetry) {
      const retryAfter = parseRetryAfter(response.retryAfter, transport.timers.now()) ?? 0;
      if (retryAfter <= MAX_AUTO_RETRY_AFTER_SECONDS) {
        await transport.timers.sleep(Math.max(backoffDelay(attempt), retryAfter * 1000));
        continue;
      }
    }
    throw outcome.error;
  }
}

interface RawResponse {
  status: number;
  retryAfter: string | null;
  text: string;
}

async function attemptOnce(
  transport: Transport,
  href: string,
  path: string,
  method: 'GET' | 'POST',
  payload: string,
  body: string | undefined,
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    ...(await createSignatureHeaders({
      channelId: transport.channelId,
      channelSecret: transport.channelSecret,
      path,
      payload,
      nonce: globalThis.crypto.randomUUID(),
    })),
    Accept: 'application/json',
    'User-Agent': transport.userAgent,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  const controller = new AbortController();
  let timedOut = false;
  const cancelTimer = transport.timers.startTimer(transport.timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  try {
    const response = await transport.fetch(href, {
      method,
      headers,
      body,
      signal: controller.signal,
      redirect: 'error',
    });
    // The body is read under the same timer: a server that stalls mid-body is a timeout too.
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
  } catch (error) {
    if (timedOut) throw new TimeoutSignal(transport.timeoutMs, error);
    throw error;
  } finally {
    cancelTimer();
  }
}

/** Marks an attempt that ran out of time (internal; surfaces as a `timeout` MyCardNetworkError). */
class TimeoutSignal extends Error {
  constructor(
    readonly timeoutMs: number,
    cause: unknown,
  ) {
    super(`No response within ${timeoutMs} ms`, { cause });
  }
}

function toNetworkError(error: unknown, retried: boolean): MyCardNetworkError {
  if (error instanceof TimeoutSignal) {
    return new MyCardNetworkError('timeout', error.message, { cause: error.cause, retried });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new MyCardNetworkError('network_error', `Request to the platform failed: ${detail}`, {
    cause: error,
    retried,
  });
}

type Outcome<T> = { ok: true; info: T } | { ok: false; error: MyCardApiError | MyCardNetworkError };

function readEnvelope<T>(response: RawResponse, retried: boolean): Outcome<T> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(response.text);
  } catch {
    envelope = undefined;
  }
  const returnCode = (envelope as { returnCode?: unknown } | undefined)?.returnCode;
  if (typeof envelope !== 'object' || envelope === null || typeof returnCode !== 'string') {
    return {
      ok: false,
      error: new MyCardNetworkError('bad_response', `HTTP ${response.status} without a My Card envelope`, {
        status: response.status,
        retried,
      }),
    };
  }
  const { returnMessage, info } = envelope as { returnMessage?: unknown; info?: unknown };
  if (returnCode === '0000' && response.status >= 200 && response.status < 300) {
    return { ok: true, info: (info ?? {}) as T };
  }
  return {
    ok: false,
    error: new MyCardApiError({
      returnCode: returnCode === '0000' ? '9000' : returnCode,
      status: response.status,
      returnMessage: typeof returnMessage === 'string' ? returnMessage : '',
      retryAfter: parseRetryAfter(response.retryAfter),
      retried,
    }),
  };
}
