import type { RateLimitStore, WindowCount } from './rate-limit-store.js';

/**
 * Fixed windows in this process's memory: right for one instance (and for tests). Several
 * instances behind a balancer each keep their own windows — use the Redis store there
 * (docs/operations.md, "Running several instances"). Windows are swept lazily, and never more than
 * `maxKeys` are kept, so a flood of distinct keys cannot grow memory without bound.
 */
export function createMemoryStore(options: { now?: () => number; maxKeys?: number } = {}): RateLimitStore & {
  size(): number;
} {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { end: number; count: number }>();
  const sweep = (t: number) => {
    for (const [k, w] of windows) if (t >= w.end) windows.delete(k);
    // Still full: drop the oldest entries rather than grow.
    while (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
  };
  const live = (key: string, t: number) => {
    const w = windows.get(key);
    return w && t < w.end ? w : undefined;
  };
  return {
    kind: 'memory',
    async increment(key, windowMs): Promise<WindowCount> {
      const t = now();
      let w = live(key, t);
      if (!w) {
        if (windows.size >= maxKeys) sweep(t);
        w = { end: t + windowMs, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return { count: w.count, resetMs: w.end - t };
    },
    async peek(key) {
      // A read: it never adds a window, so probing many keys (unknown channel ids) costs no memory.
      const t = now();
      const w = live(key, t);
      return w ? { count: w.count, resetMs: w.end - t } : undefined;
    },
    async reset(key) {
      windows.delete(key);
    },
    async close() {},
    size() {
      return windows.size;
    },
  };
}
