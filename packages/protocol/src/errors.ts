import { type ErrorReturnCode, RETURN_CODES } from './return-codes.js';

/**
 * Base class of every error of the protocol layer. `returnCode` is the wire code (PROTOCOL.md §2);
 * `code` is a stable, readable name for programs that prefer one; `status` is the HTTP status.
 *
 * @example
 * ```ts
 * try { await verifyBindingToken(token, options); }
 * catch (err) { if (err instanceof MyCardError && err.returnCode === '3002') askToStartAgain(); }
 * ```
 */
export class MyCardError extends Error {
  override name = 'MyCardError';
  readonly returnCode: ErrorReturnCode;
  readonly status: number;
  /** A short machine-readable reason, e.g. `'token_expired'`; never contains secrets. */
  readonly code: string;

  constructor(returnCode: ErrorReturnCode, code: string, message?: string, options?: { cause?: unknown }) {
    super(message ?? RETURN_CODES[returnCode].message, options);
    this.returnCode = returnCode;
    this.status = RETURN_CODES[returnCode].status;
    this.code = code;
  }
}

/**
 * The binding token (or another token of the protocol) is invalid: 3001.
 *
 * @example
 * ```ts
 * throw new TokenInvalidError('aud_invalid'); // returnCode '3001', status 400
 * ```
 */
export class TokenInvalidError extends MyCardError {
  override name = 'TokenInvalidError';
  constructor(code: string, message?: string, options?: { cause?: unknown }) {
    super('3001', code, message, options);
  }
}

/**
 * The token (binding token, completion token or reservation) has expired: 3002. A token issued in
 * the future is not this error but a {@link TokenInvalidError} with code `iat_in_future`.
 *
 * @example
 * ```ts
 * throw new TokenExpiredError(); // returnCode '3002', status 410, code 'token_expired'
 * ```
 */
export class TokenExpiredError extends MyCardError {
  override name = 'TokenExpiredError';
  constructor(code = 'token_expired', message?: string) {
    super('3002', code, message);
  }
}

/**
 * A request signature is missing, malformed or wrong: 1106.
 *
 * @example
 * ```ts
 * if ((await verifyRequestSignature(input)) < 0) throw new SignatureError(); // 1106
 * ```
 */
export class SignatureError extends MyCardError {
  override name = 'SignatureError';
  constructor(code = 'signature_invalid', message?: string) {
    super('1106', code, message);
  }
}

/**
 * A membership code does not fit the program's code type: 2103.
 *
 * @example
 * ```ts
 * throw new MembershipCodeError('check_digit'); // returnCode '2103'
 * ```
 */
export class MembershipCodeError extends MyCardError {
  override name = 'MembershipCodeError';
  constructor(code = 'membership_code_invalid', message?: string) {
    super('2103', code, message);
  }
}

/**
 * A nonce was already used, or a time-based nonce lies outside ±300 s: 1108.
 *
 * @example
 * ```ts
 * if (await nonces.seen(channelId, nonce)) throw new NonceError('nonce_replayed'); // 1108
 * ```
 */
export class NonceError extends MyCardError {
  override name = 'NonceError';
  constructor(code = 'nonce_time', message?: string) {
    super('1108', code, message);
  }
}
