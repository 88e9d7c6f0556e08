/**
 * A refused or failed platform API call. `returnCode` is the envelope's code (PROTOCOL.md §2), or a
 * client-side code when no envelope came back: `NETWORK` (no answer), `BAD_RESPONSE` (an answer that
 * is not an envelope: a proxy's error page, an empty body). People never see the code alone: the UI
 * shows a friendly message and `reference`, which support maps back to the code and the request.
 */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

export interface ApiErrorDetail {
  /** For developers (the platform's English returnMessage); never shown to people. */
  message?: string;
  /** The platform's `x-request-id`. */
  requestId?: string | undefined;
  /** Seconds, from `Retry-After` (429). */
  retryAfter?: number | undefined;
  /** The support reference; by default {@link supportReference} of the code and request id. */
  reference?: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly returnCode: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;
  /** What a person can quote to support, e.g. `3007-req42`. */
  readonly reference: string;

  constructor(returnCode: string, status: number, detail: ApiErrorDetail = {}) {
    super(detail.message ?? `API call failed (${returnCode})`);
    this.returnCode = returnCode;
    this.status = status;
    this.requestId = detail.requestId;
    this.retryAfter = detail.retryAfter;
    this.reference = detail.reference ?? supportReference(returnCode, detail.requestId ?? null);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/**
 * A short reference for support: the code, then the request id when the server sent a safe one
 * (else a random one, so two reports can still be told apart), e.g. `3007-req42`.
 */
export function supportReference(
  returnCode: string,
  requestId: string | null,
  random: () => number = Math.random,
): string {
  const id =
    requestId && /^[\w.:-]{1,64}$/.test(requestId) ? requestId : Math.floor(random() * 36 ** 6).toString(36);
  return `${returnCode}-${id}`;
}
