import { createHash } from 'node:crypto';

/**
 * SHA-256 of a request's canonical JSON (keys sorted): two requests with the same idempotency key
 * are "the same request" exactly when their fingerprints are equal.
 *
 * @example
 * ```ts
 * requestFingerprint({ op: 'accrue', code: '2901234567893', amount: 1200, currency: 'TWD' });
 * ```
 */
export function requestFingerprint(request: Record<string, string | number | null>): string {
  const canonical = JSON.stringify(
    Object.keys(request)
      .sort()
      .map((k) => [k, request[k]]),
  );
  return createHash('sha256').update(canonical).digest('base64url');
}
