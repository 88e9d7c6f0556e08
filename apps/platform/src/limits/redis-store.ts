import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { type RateLimitStore, RateLimitStoreError, type WindowCount } from './rate-limit-store.js';

/**
 * One atomic step on the server: count the hit, open the window on the first one, return the count
 * and the milliseconds left. A script, so two instances counting the same key never both see 1
 * and no window is left without an expiry if a client dies between two commands.
 */
const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;
const PEEK = `
local n = redis.call('GET', KEYS[1])
if not n then return nil end
return {tonumber(n), redis.call('PTTL', KEYS[1])}
`;

type Scripted = Redis & {
  mycardIncrement(key: string, windowMs: number): Promise<[number, number]>;
  mycardPeek(key: string): Promise<[number, number] | null>;
};

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (MYCARD_REDIS_URL). */
  url: string;
  /** Prefix of every key (several deployments or test runs can share one Redis). */
  keyPrefix?: string;
  /** A command that takes longer fails (ms): a hung Redis must not hang requests. */
  commandTimeoutMs?: number;
  /** How long a command waits for a (re)connection in progress before it fails (ms). */
  readyWaitMs?: number;
  /** Called on connection errors (logged once per state change by the caller). */
  onError?: (err: Error) => void;
}

/**
 * Counters in Redis, shared by every platform instance (PROTOCOL.md §10), through ioredis. While
 * Redis is unreachable commands fail at once (no offline queue, no retries per request) with
 * {@link RateLimitStoreError}, and the client reconnects in the background: the limiter's outage
 * policy decides, requests never wait for Redis to come back.
 */
export function createRedisStore(options: RedisStoreOptions): RateLimitStore & { redis: Redis } {
  // Loaded only when Redis is configured: a single instance without it never pays for ioredis.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? 'mycard:rl:',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 2000,
    // Reconnect every 100 ms … 2 s, forever: recovery needs no restart of the platform.
    retryStrategy: (times) => Math.min(100 * times, 2000),
    lazyConnect: false,
  }) as Scripted;
  redis.on('error', (err: Error) => options.onError?.(err));
  redis.defineCommand('mycardIncrement', { numberOfKeys: 1, lua: INCREMENT });
  redis.defineCommand('mycardPeek', { numberOfKeys: 1, lua: PEEK });
  // Without an offline queue a command sent while the client is still (re)connecting would fail
  // even though Redis is up: wait for the connection a short while, never longer.
  let waiting: Promise<void> | undefined;
  const whenReady = (): Promise<void> => {
    if (redis.status === 'ready') return Promise.resolve();
    waiting ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        waiting = undefined;
        resolve();
      };
      const timer = setTimeout(done, options.readyWaitMs ?? 250);
      redis.once('ready', done);
    });
    return waiting;
  };
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      await whenReady();
      return await run();
    } catch (err) {
      throw new RateLimitStoreError(`redis: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    kind: 'redis',
    redis,
    async increment(key, windowMs): Promise<WindowCount> {
      const [count, resetMs] = await guard(() => redis.mycardIncrement(key, windowMs));
      return { count, resetMs };
    },
    async peek(key) {
      const found = await guard(() => redis.mycardPeek(key));
      return found ? { count: found[0], resetMs: Math.max(0, found[1]) } : undefined;
    },
    async reset(key) {
      await guard(() => redis.del(key));
    },
    async close() {
      redis.disconnect();
    },
  };
}
