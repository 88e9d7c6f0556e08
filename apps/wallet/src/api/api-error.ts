/**
 * A refused or failed wallet API call. `returnCode` is the protocol's code (PROTOCOL.md §2), or one
 * of the client-side codes below when no envelope came back; `requestId` is the platform's
 * `x-request-id`. People never see the raw code alone: the UI shows a friendly message and
 * `supportReference` for support.
 */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly returnCode: string;
  readonly status: number;
  readonly requestId: string | undefined;

  constructor(returnCode: string, status: number, message: string, requestId?: string) {
    super(message);
    this.returnCode = returnCode;
    this.status = status;
    this.requestId = requestId;
  }

  /** What a person can quote to support: the return code and the request id. */
  get supportReference(): string {
    return this.requestId ? `${this.returnCode}-${this.requestId}` : this.returnCode;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
