import type { PlatformConfig } from '../config.js';
import { createMemoryStore } from './memory-store.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { createRateLimiter, type OutagePolicy, type RateLimiter } from './rate-limiter.js';
import { createRedisStore } from './redis-store.js';

/**
 * The platform's rate limits and lockouts, all over one store: Redis when `redisUrl` is set (shared
 * by every instance, PROTOCOL.md §10), else this process's memory. Built once at start and passed
 * in the context; routes ask it for a named limiter.
 */
export interface Limits {
  readonly store: RateLimitStore;
  limiter(options: { name: string; limit: number; windowMs: number; onOutage: OutagePolicy }): RateLimiter;
  /** Store errors absorbed (fail open) or turned into 503s (fail closed), by limiter name. */
  storeErrors(): Record<string, number>;
  close(): Promise<void>;
}

export function createLimits(
  config: PlatformConfig,
  options: { now: () => number; log?: (message: string, err?: unknown) => void },
): Limits {
  const useRedis = config.redisUrl !== '' && config.rateLimitStore === 'auto';
  let down = false;
  const store = useRedis
    ? createRedisStore({
        url: config.redisUrl,
        keyPrefix: `${config.redisKeyPrefix}rl:`,
        onError: (err) => {
          // ioredis reports every failed reconnect: log the change of state, not each attempt.
          if (!down) options.log?.('rate-limit store (Redis) unreachable', err);
          down = true;
        },
      })
    : createMemoryStore({ now: options.now });
  if (useRedis && 'redis' in store) {
    (store as ReturnType<typeof createRedisStore>).redis.on('ready', () => {
      if (down) options.log?.('rate-limit store (Redis) reachable again');
      down = false;
    });
  }
  const errors: Record<string, number> = {};
  return {
    store,
    limiter: (o) =>
      createRateLimiter({
        store,
        ...o,
        onStoreError: (name) => {
          errors[name] = (errors[name] ?? 0) + 1;
        },
      }),
    storeErrors: () => ({ ...errors }),
    close: () => store.close(),
  };
}
