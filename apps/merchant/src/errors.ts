/**
 * The merchant system's error registry: one place for every code its JSON API (`/api/pos`) returns.
 * Envelope: `{"error": {"code": "<code>", "message": "<English text>"}}` with the HTTP status below.
 * 5xx never carries detail. docs/merchant.md lists the same table (a test keeps them in step).
 */
export const MERCHANT_ERRORS = {
  invalid_request: { status: 400, message: 'The request body or parameters are not valid.' },
  amount_invalid: { status: 400, message: 'The amount must be a positive whole number.' },
  amount_too_large: { status: 400, message: 'The amount is larger than one transaction may carry.' },
  points_invalid: { status: 400, message: 'Points must be a positive whole number.' },
  points_too_large: { status: 400, message: 'More points than one redemption may carry.' },
  currency_not_accepted: { status: 400, message: 'This till does not accept that currency.' },
  order_id_invalid: { status: 400, message: 'The order id must be 1–64 characters of A–Z a–z 0–9 . _ : -.' },
  code_check_digit: {
    status: 400,
    message: 'The check digit of this code is wrong: it was mistyped or misread.',
  },
  unknown_code: { status: 404, message: 'No member has this membership code.' },
  one_time_key_invalid: { status: 404, message: 'The My Code is unknown, already used or expired.' },
  one_time_key_no_card: { status: 404, message: 'The My Code belongs to a wallet without our card.' },
  order_not_found: { status: 404, message: 'No accrual with this order id.' },
  insufficient_points: { status: 409, message: 'The member does not have enough points.' },
  balance_limit: {
    status: 409,
    message: 'The balance would exceed the largest number of points the ledger holds.',
  },
  over_reversal: { status: 409, message: 'The refund is larger than what is left of the order.' },
  idempotency_conflict: { status: 409, message: 'This order id was already used with a different request.' },
  unauthorized: { status: 401, message: 'Sign in as a POS operator first.' },
  login_failed: { status: 401, message: 'Wrong user name or password.' },
  csrf_failed: { status: 403, message: 'Missing or wrong CSRF token.' },
  store_invalid: { status: 400, message: "Sign in to one of this shop's stores (storeId)." },
  not_found: { status: 404, message: 'No such endpoint.' },
  body_too_large: { status: 413, message: 'The request body is larger than 16 KiB.' },
  unsupported_media_type: { status: 415, message: 'Send application/json.' },
  rate_limited: { status: 429, message: 'Too many attempts; try again later.' },
  not_configured: { status: 503, message: 'The My Card channel is not configured.' },
  platform_unavailable: { status: 503, message: 'My Card is not reachable right now; try again.' },
  internal_error: { status: 500, message: 'Internal error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type MerchantErrorCode = keyof typeof MERCHANT_ERRORS;

/** A failure the caller can act on; `code` is stable, `message` is for people. */
export class MerchantError extends Error {
  override name = 'MerchantError';
  readonly code: MerchantErrorCode;
  readonly status: number;

  constructor(code: MerchantErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? MERCHANT_ERRORS[code].message, options);
    this.code = code;
    this.status = MERCHANT_ERRORS[code].status;
  }
}

export interface ErrorBody {
  error: { code: MerchantErrorCode; message: string };
}

/** The one place that turns an error into the JSON envelope; unknown errors become a bare 500. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof MerchantError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message } } };
  }
  const code: MerchantErrorCode = 'internal_error';
  return { status: 500, body: { error: { code, message: MERCHANT_ERRORS[code].message } } };
}
