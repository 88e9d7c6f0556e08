import { MyCardError } from './errors.js';
import {
  type ErrorEnvelope,
  type ErrorReturnCode,
  RETURN_CODES,
  type SuccessEnvelope,
} from './return-codes.js';

/**
 * The success envelope of PROTOCOL.md §1: `{"returnCode":"0000","returnMessage":"Success.","info":…}`.
 *
 * @example
 * ```ts
 * reply.code(201).send(successEnvelope({ bindingId, redirectUrl, expiresAt }));
 * ```
 */
export function successEnvelope<T>(info: T): SuccessEnvelope<T> {
  return { returnCode: '0000', returnMessage: RETURN_CODES['0000'].message, info };
}

/**
 * An error envelope (no `info`). The message defaults to the registry's text for the code.
 *
 * @example
 * ```ts
 * reply.code(httpStatusOf('3004')).send(errorEnvelope('3004'));
 * ```
 */
export function errorEnvelope(code: ErrorReturnCode, message?: string): ErrorEnvelope {
  return { returnCode: code, returnMessage: message ?? RETURN_CODES[code].message };
}

/**
 * Turns any thrown value into an error envelope and its HTTP status. A {@link MyCardError} keeps its
 * return code; anything else is 9000. The message is always the registry's text, so no detail
 * (which signature check failed, stack traces, SQL) ever leaks to the caller.
 *
 * @example
 * ```ts
 * app.setErrorHandler((err, _req, reply) => {
 *   const { status, envelope } = toErrorEnvelope(err);
 *   reply.code(status).send(envelope);
 * });
 * ```
 */
export function toErrorEnvelope(error: unknown): { status: number; envelope: ErrorEnvelope } {
  const code: ErrorReturnCode = error instanceof MyCardError ? error.returnCode : '9000';
  return { status: RETURN_CODES[code].status, envelope: errorEnvelope(code) };
}
