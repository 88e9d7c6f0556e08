import { UnavailableError } from '../http/errors.js';
import { type RateLimitStore, RateLimitStoreError } from './rate-limit-store.js';

/**
 * What a limiter does while its store (Redis) is unreachable (docs/operations.md, "Redis outage"):
 * `closed` refuses the request (503, 9000, Retry-After) — sign-in limits, so an outage never opens
 * the door to password guessing; `open` lets the request through and counts a store error (metric
 * `mycard_rate_limit_store_errors_total`) — limits that protect capacity, not secrets.
 */
export type OutagePolicy = 'closed' | 'open';

export interface RateLimiter {
  /** Counts one hit for `key`; whether it is within the limit and, if not, the seconds to wait. */
  hit(key: string): Promise<{ allowed: boolean; retryAfter: number }>;
  /** Whether `key` is over the limit, without counting a hit. */
  blocked(key: string): Promise<{ blocked: boolean; retryAfter: number }>;
  reset(key: string): Promise<void>;
}

export interface RateLimiterOptions {
  store: RateLimitStore;
  /** Names the counter in the store (keys are `<name>:<key>`). */
  name: string;
  limit: number;
  windowMs: number;
  onOutage: OutagePolicy;
  /** Called for every store error the limiter absorbed or turned into a 503. */
  onStoreError?: (name: string, err: unknown) => void;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A fixed-window limit over a {@link RateLimitStore}, with its outage policy. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { store, limit, windowMs } = options;
  const k = (key: string) => `${options.name}:${key}`;
  const outage = <T>(err: unknown, open: T): T => {
    if (!(err instanceof RateLimitStoreError)) throw err;
    options.onStoreError?.(options.name, err);
    if (options.onOutage === 'open') return open;
    throw new UnavailableError('rate_limit_store_unavailable', { cause: err });
  };
  return {
    async hit(key) {
      try {
        const w = await store.increment(k(key), windowMs);
        return w.count <= limit
          ? { allowed: true, retryAfter: 0 }
          : { allowed: false, retryAfter: seconds(w.resetMs) };
      } catch (err) {
        return outage(err, { allowed: true, retryAfter: 0 });
      }
    },
    async blocked(key) {
      try {
        const w = await store.peek(k(key));
        return w && w.count >= limit
          ? { blocked: true, retryAfter: seconds(w.resetMs) }
          : { blocked: false, retryAfter: 0 };
      } catch (err) {
        return outage(err, { blocked: false, retryAfter: 0 });
      }
    },
    async reset(key) {
      try {
        await store.reset(k(key));
      } catch (err) {
        outage(err, undefined);
      }
    },
  };
}
