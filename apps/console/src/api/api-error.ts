/**
 * A failed console API call. `returnCode` is the envelope's code (PROTOCOL.md §2) or `NETWORK` when
 * no usable answer came back; people never see it raw — they see a friendly message and
 * `reference`, which support can map back to the code and the request.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly returnCode: string;
  readonly status: number;
  readonly reference: string;
  /** Seconds, from `Retry-After` on 429. */
  readonly retryAfter: number | undefined;

  constructor(returnCode: string, status: number, reference: string, retryAfter?: number) {
    super(`Console API call failed (${returnCode})`);
    this.returnCode = returnCode;
    this.status = status;
    this.reference = reference;
    this.retryAfter = retryAfter;
  }
}

/** A short reference for support: the request id when the server sent one, plus the code. */
export function supportReference(
  returnCode: string,
  requestId: string | null,
  random: () => number = Math.random,
) {
  const id =
    requestId && /^[\w.:-]{1,64}$/.test(requestId) ? requestId : Math.floor(random() * 36 ** 6).toString(36);
  return `${id}-${returnCode}`.toUpperCase();
}
