/**
 * The return-code registry of the My Card protocol (PROTOCOL.md §2).
 *
 * Every API response carries one of these codes in its envelope; the HTTP status tells the class.
 * This table is the single source of truth: the platform's error handler, the SDK's typed errors,
 * the OpenAPI document and docs/protocol.md are all checked against it by tests.
 *
 * @example
 * ```ts
 * RETURN_CODES['3004'].status; // 409
 * ```
 */
export const RETURN_CODES = {
  '0000': { status: 200, message: 'Success.' },
  '1101': { status: 401, message: 'Unknown channel.' },
  '1102': { status: 403, message: 'Channel not usable.' },
  '1103': { status: 403, message: 'This channel may not call this endpoint.' },
  '1106': { status: 401, message: 'Authentication header missing or malformed, or signature mismatch.' },
  '1108': { status: 401, message: 'Nonce already used or outside the allowed time window.' },
  '2101': { status: 400, message: 'Request parameter error.' },
  '2102': { status: 413, message: 'Body too large.' },
  '2103': { status: 400, message: "Membership code not valid for the program's code type." },
  '3001': { status: 400, message: 'Binding token invalid.' },
  '3002': { status: 410, message: 'Token or reservation expired.' },
  '3003': { status: 404, message: 'Binding not found.' },
  '3004': { status: 409, message: 'Binding in a state that does not allow this step.' },
  '3005': { status: 409, message: 'Membership code already bound to another wallet user of this program.' },
  '3006': { status: 409, message: "This wallet user already holds this program's card." },
  '3007': {
    status: 403,
    message: 'Binding belongs to another wallet user, or this browser did not start it.',
  },
  '3008': { status: 409, message: 'Stale profile update.' },
  '3010': { status: 404, message: 'One-time key unknown, used or expired.' },
  '3011': { status: 404, message: "The key's wallet user holds no card of this program." },
  '4001': { status: 401, message: 'Session missing or invalid.' },
  '4003': { status: 403, message: 'Forbidden.' },
  '4004': { status: 404, message: 'Resource not found.' },
  '4029': { status: 429, message: 'Rate limited.' },
  '9000': { status: 500, message: 'Internal error.' },
} as const satisfies Record<string, { status: number; message: string }>;

/**
 * A return code of the protocol, e.g. `'3004'`.
 *
 * @example
 * ```ts
 * const code: ReturnCode = '0000';
 * ```
 */
export type ReturnCode = keyof typeof RETURN_CODES;

/**
 * Return codes that denote an error (every code but `0000`).
 *
 * @example
 * ```ts
 * const code: ErrorReturnCode = '3001';
 * ```
 */
export type ErrorReturnCode = Exclude<ReturnCode, '0000'>;

/**
 * True when `value` is a return code of the registry.
 *
 * @example
 * ```ts
 * if (isReturnCode(body.returnCode) && body.returnCode !== '0000') throw toError(body);
 * ```
 */
export function isReturnCode(value: unknown): value is ReturnCode {
  return typeof value === 'string' && Object.hasOwn(RETURN_CODES, value);
}

/**
 * The HTTP status that goes with a return code (PROTOCOL.md §2).
 *
 * @example
 * ```ts
 * httpStatusOf('3002'); // 410
 * ```
 */
export function httpStatusOf(code: ReturnCode): number {
  return RETURN_CODES[code].status;
}

/**
 * The success and error envelopes of PROTOCOL.md §1.
 *
 * @example
 * ```ts
 * const ok: SuccessEnvelope<{ bindingId: string }> = successEnvelope({ bindingId });
 * ```
 */
export interface SuccessEnvelope<T> {
  returnCode: '0000';
  returnMessage: string;
  info: T;
}
/**
 * The error envelope: no `info`.
 *
 * @example
 * ```ts
 * const failed: ErrorEnvelope = errorEnvelope('3004');
 * ```
 */
export interface ErrorEnvelope {
  returnCode: ErrorReturnCode;
  returnMessage: string;
}
/**
 * Any response envelope.
 *
 * @example
 * ```ts
 * const body = (await res.json()) as Envelope<{ card: unknown }>;
 * if (body.returnCode === '0000') show(body.info.card);
 * ```
 */
export type Envelope<T> = SuccessEnvelope<T> | ErrorEnvelope;
