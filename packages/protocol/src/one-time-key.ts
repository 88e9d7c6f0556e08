/**
 * A one-time key ("My Code"): exactly 18 decimal digits (PROTOCOL.md §5).
 *
 * @example
 * ```ts
 * ONE_TIME_KEY_PATTERN.test('123456789012345678'); // true
 * ```
 */
export const ONE_TIME_KEY_PATTERN: RegExp = /^\d{18}$/;

/**
 * A one-time key is valid for 300 s and resolves once per channel (PROTOCOL.md §5, §6).
 *
 * @example
 * ```ts
 * const expiresAt = new Date(now.getTime() + ONE_TIME_KEY_LIFETIME_SECONDS * 1000).toISOString();
 * ```
 */
export const ONE_TIME_KEY_LIFETIME_SECONDS = 300;

/**
 * True when `v` has the format of a one-time key (18 ASCII digits). Says nothing about whether the
 * key is live: only the platform knows that.
 *
 * @example
 * ```ts
 * isOneTimeKey('123456789012345678'); // true
 * isOneTimeKey('12345');              // false
 * ```
 */
export function isOneTimeKey(v: string): boolean {
  return typeof v === 'string' && ONE_TIME_KEY_PATTERN.test(v);
}
