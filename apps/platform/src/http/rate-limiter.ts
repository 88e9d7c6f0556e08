/**
 * A fixed-window counter per key, in memory: enough for one platform process. (Several processes
 * behind a balancer each keep their own window; the limits are per process — documented.)
 * Windows are swept lazily so a flood of distinct keys cannot grow memory without bound.
 */
export interface RateLimiter {
  /** Counts one hit for `key`; returns whether it is within the limit and, if not, the seconds to wait. */
  hit(key: string): { allowed: boolean; retryAfter: number };
  /** Whether `key` is currently over the limit, without counting a hit. */
  blocked(key: string): { blocked: boolean; retryAfter: number };
  reset(key: string): void;
  /** How many keys have a window in memory (bounded by `maxKeys`). */
  size(): number;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
  maxKeys?: number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { start: number; count: number }>();
  const current = (key: string) => {
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= options.windowMs) {
      if (windows.size >= maxKeys) sweep(t);
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    return { w, t };
  };
  const sweep = (t: number) => {
    for (const [k, w] of windows) if (t - w.start >= options.windowMs) windows.delete(k);
    // Still full: drop the oldest entries rather than grow.
    while (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
  };
  const retryAfter = (w: { start: number }, t: number) =>
    Math.max(1, Math.ceil((w.start + options.windowMs - t) / 1000));
  return {
    hit(key) {
      const { w, t } = current(key);
      w.count++;
      return w.count <= options.limit
        ? { allowed: true, retryAfter: 0 }
        : { allowed: false, retryAfter: retryAfter(w, t) };
    },
    blocked(key) {
      // A read: it never adds a window, so probing many keys (unknown channel ids) costs no memory.
      const t = now();
      const w = windows.get(key);
      return w && t - w.start < options.windowMs && w.count >= options.limit
        ? { blocked: true, retryAfter: retryAfter(w, t) }
        : { blocked: false, retryAfter: 0 };
    },
    reset(key) {
      windows.delete(key);
    },
    size() {
      return windows.size;
    },
  };
}
