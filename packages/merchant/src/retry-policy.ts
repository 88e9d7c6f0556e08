/**
 * When a merchant API call may be sent again after a failure (see the README's table).
 *
 * - `'idempotent'`: repeating the call cannot do harm — `apply` (same token + same code succeeds
 *   again, PROTOCOL.md §4.5), `updateProfile` (versioned, §6), `unbind` (idempotent, §6). Retried
 *   on network errors, timeouts and 5xx.
 * - `'single-use'`: the first arrival consumes something — `resolveOneTimeKey` (a key resolves
 *   once per channel, §6). Retried only when the request provably never left the machine
 *   (connection refused, DNS failure): never on a timeout, a reset or a 5xx, where the platform
 *   may have consumed the key and a retry would only see `3010`.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = 'idempotent';
 * ```
 */
export type RetryPolicy = 'idempotent' | 'single-use';

/**
 * First retry waits about this long (100–200 ms with jitter); each further one doubles it.
 *
 * @example
 * ```ts
 * backoffDelay(0) <= RETRY_BASE_DELAY_MS; // true
 * ```
 */
export const RETRY_BASE_DELAY_MS = 200;

/**
 * No backoff wait is longer than this, whatever the attempt number.
 *
 * @example
 * ```ts
 * backoffDelay(30) <= RETRY_MAX_DELAY_MS; // true
 * ```
 */
export const RETRY_MAX_DELAY_MS = 5_000;

/**
 * The wait before retry number `attempt` (0 for the first retry): exponential from
 * {@link RETRY_BASE_DELAY_MS}, capped at {@link RETRY_MAX_DELAY_MS}, with "equal jitter" (a random
 * point in the upper half) so that many clients failing together do not retry in lockstep.
 *
 * @example
 * ```ts
 * backoffDelay(0); // 100–200 ms
 * backoffDelay(1); // 200–400 ms
 * ```
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP-date) into whole seconds from `now`;
 * `undefined` when absent or unparseable.
 *
 * @example
 * ```ts
 * parseRetryAfter('30');                                  // 30
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now);  // seconds until then, ≥ 0
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: Date = new Date(),
): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text);
  // An HTTP-date starts with a day name; Date.parse alone would read '-5' as a year.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * Error codes (Node/undici) that mean no byte of the request reached the server: name resolution
 * failed, or the connection was never established. Any other failure — reset, socket closed,
 * timeout — may have happened after the server read the request.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when a `fetch` rejection proves the request never reached the server. Runtimes that do not
 * say why a fetch failed (browsers) give `false`: without proof, a single-use call is not retried.
 *
 * @example
 * ```ts
 * try { await fetch(url, init); } catch (err) { if (neverReachedServer(err)) retry(); else throw err; }
 * ```
 */
export function neverReachedServer(error: unknown): boolean {
  // undici wraps the socket error: TypeError('fetch failed', { cause: Error{ code } }); with
  // happy-eyeballs the cause is an AggregateError of one error per address tried.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) return errors.every((e) => neverReachedServer(e));
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * How the client waits: before a retry, and for an attempt's time limit. The default,
 * {@link SYSTEM_TIMERS}, uses the runtime's `setTimeout`; a test passes its own to see the waits
 * without spending them, a runtime with its own scheduler passes that.
 *
 * @example
 * ```ts
 * const waits: number[] = [];
 * const timers: ClientTimers = { ...SYSTEM_TIMERS, sleep: async (ms) => void waits.push(ms) };
 * const client = createMyCardClient({ baseUrl, channelId, channelSecret, timers });
 * ```
 */
export interface ClientTimers {
  /** Resolves after `ms` milliseconds: the wait before a retry. */
  sleep(ms: number): Promise<void>;
  /** Calls `onTimeout` after `ms` milliseconds unless the returned cancel function runs first. */
  startTimer(ms: number, onTimeout: () => void): () => void;
  /** The current time, for `Retry-After` given as an HTTP-date. */
  now(): Date;
}

/**
 * The runtime's timers and clock: `setTimeout`, `clearTimeout`, `new Date()`.
 *
 * @example
 * ```ts
 * await SYSTEM_TIMERS.sleep(backoffDelay(0));
 * ```
 */
export const SYSTEM_TIMERS: ClientTimers = {
  sleep,
  startTimer(ms, onTimeout) {
    const timer = setTimeout(onTimeout, ms);
    return () => clearTimeout(timer);
  },
  now: () => new Date(),
};

/**
 * Resolves after `ms` milliseconds.
 *
 * @example
 * ```ts
 * await sleep(backoffDelay(0));
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
