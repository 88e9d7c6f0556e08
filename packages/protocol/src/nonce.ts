import { NonceError } from './errors.js';

/**
 * A request nonce: 16–64 chars of `[A-Za-z0-9._:-]` (PROTOCOL.md §3). A UUID is recommended.
 *
 * @example
 * ```ts
 * NONCE_PATTERN.test('e3b0c442-98fc-4c14-9afb-f4c8996fb924'); // true
 * ```
 */
export const NONCE_PATTERN: RegExp = /^[A-Za-z0-9._:-]{16,64}$/;

/**
 * A UUIDv1 or v7 nonce must carry a time within ±300 s of the server's clock (PROTOCOL.md §3).
 *
 * @example
 * ```ts
 * const ok = Math.abs(Date.now() - nonceTime(nonce)!) <= NONCE_TIME_WINDOW_SECONDS * 1000;
 * ```
 */
export const NONCE_TIME_WINDOW_SECONDS = 300;

/**
 * True when `nonce` has the format of {@link NONCE_PATTERN}.
 *
 * @example
 * ```ts
 * isValidNonce(crypto.randomUUID()); // true
 * isValidNonce('too-short');         // false
 * ```
 */
export function isValidNonce(nonce: string): boolean {
  return typeof nonce === 'string' && NONCE_PATTERN.test(nonce);
}

const UUID_PATTERN = /^([0-9a-f]{8})-([0-9a-f]{4})-([17])([0-9a-f]{3})-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = 122_192_928_000_000_000n;

/**
 * The time embedded in a UUIDv1 or UUIDv7 nonce (canonical 8-4-4-4-12 hex form, RFC 9562
 * variant), in milliseconds since the Unix epoch; `undefined` for any other nonce.
 *
 * @example
 * ```ts
 * nonceTime('01890a5d-ac96-774b-bcce-b302099a8057'); // 1688144637078 (v7)
 * nonceTime(crypto.randomUUID());                    // undefined (v4 has no time)
 * ```
 */
export function nonceTime(nonce: string): number | undefined {
  const m = typeof nonce === 'string' ? UUID_PATTERN.exec(nonce) : null;
  if (!m) return undefined;
  const [, timeLow, timeMid, version, timeHigh] = m as unknown as [string, string, string, string, string];
  if (version === '7') {
    // unix_ts_ms: the first 48 bits.
    return Number.parseInt(timeLow + timeMid, 16);
  }
  // v1: a 60-bit count of 100-ns intervals since 1582-10-15, stored low-mid-high.
  const ticks = BigInt(`0x${timeHigh}${timeMid}${timeLow}`);
  return Number((ticks - GREGORIAN_OFFSET) / 10_000n);
}

/**
 * Throws a {@link NonceError} (`MyCardError` 1108, code `nonce_time`) when the nonce is a UUIDv1
 * or v7 whose time is more than {@link NONCE_TIME_WINDOW_SECONDS} from `now`. Other nonces pass:
 * their single use is enforced by the nonce store, not here.
 *
 * @example
 * ```ts
 * checkNonceTime(req.headers['x-line-authorization-nonce'], new Date());
 * ```
 */
export function checkNonceTime(nonce: string, now: Date): void {
  const t = nonceTime(nonce);
  if (t === undefined) return;
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('now must be a valid Date');
  if (Math.abs(nowMs - t) > NONCE_TIME_WINDOW_SECONDS * 1000) {
    throw new NonceError('nonce_time', 'Time-based nonce outside the allowed window.');
  }
}
