/**
 * Timing of the One-time key ("My Code", PROTOCOL.md §5: valid 300 s): how long it is still valid
 * and when to fetch the next one. Times are epoch milliseconds of the phone's clock.
 */

/** The protocol's key lifetime. */
export const ONE_TIME_KEY_LIFE_MS = 300_000;

/**
 * When the key expires by the phone's clock. The platform's `expiresAt` is trusted only as far as
 * it is plausible against the moment the key arrived: a phone clock minutes off would otherwise
 * show a dead key as live, or renew in a tight loop. Implausible → the nominal lifetime.
 */
export function localExpiry(
  expiresAtIso: string,
  receivedAtMs: number,
  nominalLifeMs = ONE_TIME_KEY_LIFE_MS,
): number {
  const expiresAt = Date.parse(expiresAtIso);
  const life = expiresAt - receivedAtMs;
  if (Number.isNaN(expiresAt) || life < 10_000 || life > nominalLifeMs + 5_000) {
    return receivedAtMs + nominalLifeMs;
  }
  return expiresAt;
}

/** Whole seconds left until `expiresAtMs` (never negative). */
export function secondsLeft(expiresAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((expiresAtMs - nowMs) / 1000));
}

/** "4:05" for 245 seconds. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Milliseconds from `nowMs` until the key should be renewed: a lead before expiry of 10% of its
 * life (between 5 s and 30 s), so the till never scans a key that dies mid-sale; at least
 * `minDelayMs` so a bad answer can never cause a tight loop.
 */
export function renewDelay(
  issuedAtMs: number,
  expiresAtMs: number,
  nowMs: number,
  minDelayMs = 1000,
): number {
  const lifeMs = Math.max(0, expiresAtMs - issuedAtMs);
  const leadMs = Math.min(30_000, Math.max(5_000, lifeMs * 0.1));
  return Math.max(minDelayMs, expiresAtMs - leadMs - nowMs);
}
