/**
 * In-memory sign-in throttle: at most `limit` failures per key in `windowMs` (key = login id, so an
 * attacker cannot spray one account from many addresses). A restart forgets it; that is acceptable
 * for one shop process and documented.
 */
export interface LoginThrottle {
  blocked(key: string, now: number): boolean;
  fail(key: string, now: number): void;
  reset(key: string): void;
}

export function createLoginThrottle(limit = 10, windowMs = 15 * 60 * 1000): LoginThrottle {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((t) => now - t < windowMs);
  return {
    blocked: (key, now) => recent(key, now).length >= limit,
    fail(key, now) {
      if (failures.size > 10_000) failures.clear();
      failures.set(key, [...recent(key, now), now]);
    },
    reset: (key) => void failures.delete(key),
  };
}
