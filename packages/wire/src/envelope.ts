import { type TSchema, Type } from 'typebox';

/**
 * Error envelopes have no schema here on purpose: every route declares its exact return codes per
 * HTTP status (the platform's `errorResponses()`), never a bare `{returnCode: string}`.
 *
 * The success envelope around `info` (PROTOCOL.md §1), for route response schemas.
 *
 * @example
 * ```ts
 * response: { 200: OkEnvelope(Type.Object({ card: Card })) }
 * ```
 */
export function OkEnvelope<T extends TSchema>(info: T, description = 'Success.') {
  return Type.Object(
    { returnCode: Type.Literal('0000'), returnMessage: Type.String(), info },
    { description },
  );
}

/** An empty `info` object. */
export const EmptyInfo = Type.Object({});
