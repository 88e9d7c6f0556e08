import { type ErrorReturnCode, isReturnCode, MyCardError } from '@mycard/protocol';

/**
 * A readable `code` for each return code the platform can answer with, so that a merchant can
 * write `err.code === 'membership_code_taken'` instead of `err.returnCode === '3005'`. Both are
 * stable; the wire code is the contract (PROTOCOL.md §2).
 *
 * @example
 * ```ts
 * API_ERROR_CODES['3005']; // 'membership_code_taken'
 * ```
 */
export const API_ERROR_CODES = {
  '1101': 'channel_unknown',
  '1102': 'channel_not_usable',
  '1103': 'channel_not_allowed',
  '1106': 'signature_invalid',
  '1108': 'nonce_rejected',
  '2101': 'parameter_invalid',
  '2102': 'body_too_large',
  '2103': 'membership_code_invalid',
  '3001': 'token_invalid',
  '3002': 'token_expired',
  '3003': 'binding_not_found',
  '3004': 'binding_state_conflict',
  '3005': 'membership_code_taken',
  '3006': 'card_already_held',
  '3007': 'binding_foreign',
  '3008': 'profile_stale',
  '3010': 'one_time_key_unknown',
  '3011': 'card_not_found',
  '4001': 'session_invalid',
  '4003': 'forbidden',
  '4004': 'not_found',
  '4029': 'rate_limited',
  '9000': 'internal_error',
} as const satisfies Record<ErrorReturnCode, string>;

/**
 * The readable name of an API error, see {@link API_ERROR_CODES}.
 *
 * @example
 * ```ts
 * const retryable: ApiErrorCode[] = ['rate_limited', 'internal_error'];
 * ```
 */
export type ApiErrorCode = (typeof API_ERROR_CODES)[ErrorReturnCode] | 'unknown_return_code';

/**
 * What the platform sent back, as {@link MyCardApiError} takes it.
 *
 * @example
 * ```ts
 * const init: MyCardApiErrorInit = { returnCode: '3004', status: 409, returnMessage: 'Binding in a state…' };
 * ```
 */
export interface MyCardApiErrorInit {
  /** The envelope's `returnCode` as received (an unknown code becomes `9000`). */
  returnCode: string;
  /** The HTTP status of the response. */
  status: number;
  /** The envelope's `returnMessage`. */
  returnMessage?: string;
  /** Seconds from the `Retry-After` header, when the response had one. */
  retryAfter?: number;
  /** True when this answer came to a retry, i.e. an earlier attempt of the same call was sent. */
  retried?: boolean;
}

/**
 * The platform answered a merchant API call with an error envelope (any `returnCode` but `0000`).
 * `returnCode` is the wire code (PROTOCOL.md §2), `code` a readable name of it
 * ({@link API_ERROR_CODES}), `status` the HTTP status, `message` the platform's `returnMessage`.
 *
 * `retried` is true when the error answered a retry: an earlier attempt of the same call was
 * sent and may have been applied. For `updateProfile`, a `3008` (stale version) with
 * `retried: true` usually means the first attempt landed — treat it as done.
 *
 * `retryAfter` (seconds) is set when the response carried `Retry-After`, always on `4029`.
 *
 * @example
 * ```ts
 * try {
 *   await client.apply({ token, membershipCode });
 * } catch (err) {
 *   if (err instanceof MyCardApiError && err.returnCode === '3005') showCodeTaken();
 *   else if (err instanceof MyCardApiError && err.returnCode === '4029') retryIn(err.retryAfter);
 *   else throw err;
 * }
 * ```
 */
export class MyCardApiError extends MyCardError {
  override name = 'MyCardApiError';
  /** The HTTP status actually received (normally the registry's status of `returnCode`). */
  override readonly status: number;
  override readonly code: ApiErrorCode;
  /** The envelope's `returnMessage`, as sent by the platform. */
  readonly returnMessage: string;
  /** Seconds to wait before trying again, from `Retry-After`; `undefined` when absent. */
  readonly retryAfter: number | undefined;
  /** True when this error answered a retry of the call (an earlier attempt was sent). */
  readonly retried: boolean;

  constructor(init: MyCardApiErrorInit) {
    const known = isReturnCode(init.returnCode) && init.returnCode !== '0000';
    const returnCode: ErrorReturnCode = known ? (init.returnCode as ErrorReturnCode) : '9000';
    const returnMessage = init.returnMessage ?? '';
    const message = known
      ? returnMessage
      : `Unknown returnCode ${JSON.stringify(init.returnCode)}: ${returnMessage}`;
    super(returnCode, known ? API_ERROR_CODES[returnCode] : 'unknown_return_code', message || undefined);
    this.status = init.status;
    this.code = known ? API_ERROR_CODES[returnCode] : 'unknown_return_code';
    this.returnMessage = returnMessage;
    this.retryAfter = init.retryAfter;
    this.retried = init.retried ?? false;
  }
}

/**
 * Why a {@link MyCardNetworkError} happened.
 *
 * @example
 * ```ts
 * if (err instanceof MyCardNetworkError && err.code === 'timeout') metrics.increment('mycard.timeout');
 * ```
 */
export type NetworkErrorCode =
  /** The request failed before any response: DNS, connection refused or reset, TLS… */
  | 'network_error'
  /** No complete response within the configured timeout. */
  | 'timeout'
  /** A response came but is not a protocol envelope (or not a JWKS), e.g. a proxy's HTML 502. */
  | 'bad_response';

/**
 * No usable answer from the platform: the request could not be sent, timed out, or the response
 * was not a protocol envelope. Nothing is known about whether the platform acted on the request;
 * the SDK has already retried where that is safe. Show "try again" rather than an error about the
 * member's input. `cause` holds the underlying error.
 *
 * A {@link MyCardError} like every error of the SDK, so one `instanceof MyCardError` catches them
 * all: `returnCode` is `9000` (no usable answer, as for an unknown code), `code` says what went wrong,
 * `status` is the HTTP status of a response that was not an envelope, or 0 when no response came
 * (as in a fetch `Response.error()`).
 *
 * @example
 * ```ts
 * try {
 *   await verifyBindingRequest(query, options); // may fetch the platform's JWKS
 * } catch (err) {
 *   if (err instanceof MyCardNetworkError) return res.status(503).send('Please try again.');
 *   if (err instanceof MyCardError) return res.status(400).send('This link is not valid.');
 *   throw err;
 * }
 * ```
 */
export class MyCardNetworkError extends MyCardError {
  override name = 'MyCardNetworkError';
  override readonly code: NetworkErrorCode;
  /** HTTP status of a response that was not an envelope (`bad_response`); 0 when none came. */
  override readonly status: number;
  /** True when the call was attempted more than once. */
  readonly retried: boolean;

  constructor(
    code: NetworkErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; retried?: boolean } = {},
  ) {
    super('9000', code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    this.retried = options.retried ?? false;
  }
}
