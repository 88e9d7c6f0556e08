/**
 * In-memory sign-in and sign-up throttle (a restart forgets it; acceptable for one shop process and
 * documented). Three sliding windows:
 *
 * - per account (login id, or `pos:<username>`): at most `accountLimit` failed attempts in
 *   `windowMs`, so one account cannot be guessed at from many addresses;
 * - per client address: at most `clientLimit` failed attempts in `windowMs`, so one address cannot
 *   spray a common password over many accounts;
 * - per client address: at most `signUpLimit` sign-ups in `signUpWindowMs`, so the "already
 *   registered" answer of the sign-up form cannot be used to list members in bulk.
 *
 * An attempt is counted **before** the password is checked ({@link LoginThrottle.begin}) and given
 * back when it succeeds: parallel guesses cannot all pass a check made before any of them failed.
 * Memory is bounded: when full, expired windows are dropped first, then the least recently used
 * key — never the whole table (which would let a flood of fresh keys reset a throttled account).
 */
export interface LoginThrottle {
  /**
   * Call before checking a password. `false`: refuse (429), nothing is recorded. `true`: the
   * attempt now counts against the account and the client until {@link succeeded} is called.
   */
  begin(account: string, client: string, now: number): boolean;
  /** The password was right: the account's failures are forgotten, the attempt stops counting. */
  succeeded(account: string, client: string): void;
  /** Call before a sign-up; `false`: refuse (429). Every sign-up attempt counts. */
  signUp(client: string, now: number): boolean;
}

export interface LoginThrottleOptions {
  accountLimit?: number;
  clientLimit?: number;
  windowMs?: number;
  signUpLimit?: number;
  signUpWindowMs?: number;
  /** Keys kept per window table. */
  maxKeys?: number;
}

/** A sliding-window counter per key with bounded memory (LRU eviction of whole keys). */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }

  /** Records a hit unless the key is at its limit; false when refused. */
  take(key: string, now: number): boolean {
    const recent = this.recent(key, now);
    if (recent.length >= this.limit) return false;
    recent.push(now);
    this.hits.delete(key); // re-insert: Map order is recency order
    if (this.hits.size >= this.maxKeys) this.evict(now);
    this.hits.set(key, recent);
    return true;
  }

  /** Removes the newest hit of `key` (an attempt that turned out not to count). */
  giveBack(key: string): void {
    const list = this.hits.get(key);
    if (!list) return;
    list.pop();
    if (list.length === 0) this.hits.delete(key);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  get size(): number {
    return this.hits.size;
  }

  private evict(now: number): void {
    for (const [key, list] of this.hits) {
      if (list.every((t) => now - t >= this.windowMs)) this.hits.delete(key);
    }
    const oldest = this.hits.keys();
    while (this.hits.size >= this.maxKeys) {
      const next = oldest.next();
      if (next.done) break;
      this.hits.delete(next.value);
    }
  }
}

export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const accounts = new SlidingWindow(options.accountLimit ?? 10, windowMs, options.maxKeys);
  const clients = new SlidingWindow(options.clientLimit ?? 50, windowMs, options.maxKeys);
  const signUps = new SlidingWindow(
    options.signUpLimit ?? 30,
    options.signUpWindowMs ?? 60 * 60 * 1000,
    options.maxKeys,
  );
  return {
    begin(account, client, now) {
      if (!clients.take(client, now)) return false;
      if (accounts.take(account, now)) return true;
      clients.giveBack(client);
      return false;
    },
    succeeded(account, client) {
      accounts.reset(account);
      clients.giveBack(client);
    },
    signUp: (client, now) => signUps.take(client, now),
  };
}
