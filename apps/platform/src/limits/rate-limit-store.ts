/** A window's hits so far and the milliseconds until it ends. */
export interface WindowCount {
  count: number;
  resetMs: number;
}

/**
 * Where fixed-window counters live: this process's memory, or Redis shared by every instance
 * (PROTOCOL.md §10). `increment` is atomic — two instances counting the same key at the same time
 * both see their own hit — so a limit holds across instances, and a hit is counted *before* the
 * work it limits (a sign-in counts before its password is checked).
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Counts one hit for `key`, opening a window of `windowMs` if none is open. */
  increment(key: string, windowMs: number): Promise<WindowCount>;
  /** The open window of `key`, without counting a hit; undefined when none is open. */
  peek(key: string): Promise<WindowCount | undefined>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/** The store could not be reached (Redis down): the limiter applies its outage policy. */
export class RateLimitStoreError extends Error {
  override name = 'RateLimitStoreError';
}
