import { MyCardApiError } from '@mycard/merchant';

/** What the outbox does after a failed profile update. */
export type FailureAction =
  /** The platform already holds this version or a newer one (3008): nothing left to send. */
  | 'stale'
  /** Will never succeed (a request the platform calls malformed). */
  | 'permanent'
  /**
   * The card is not (yet) ACTIVE (3003/3004): between Apply and the member's confirmation in the
   * wallet the platform refuses updates, so they are retried while the link is young.
   */
  | 'state'
  /** Network, timeout, 5xx, 429, credentials being fixed: retried with backoff. */
  | 'retry';

export function classifyFailure(err: unknown): FailureAction {
  if (!(err instanceof MyCardApiError)) return 'retry';
  switch (err.returnCode) {
    case '3008':
      return 'stale';
    case '2101':
    case '2102':
    case '4004':
      return 'permanent';
    case '3003':
    case '3004':
      return 'state';
    default:
      return 'retry';
  }
}

/** Exponential backoff with ±20 % jitter: base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}
