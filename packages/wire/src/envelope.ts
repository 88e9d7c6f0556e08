import { type Static, type TSchema, Type } from 'typebox';

/**
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

/** An error envelope: no `info` (PROTOCOL.md §1). Routes list their exact codes per status. */
export const ErrorEnvelope = Type.Object({ returnCode: Type.String(), returnMessage: Type.String() });
export type ErrorEnvelope = Static<typeof ErrorEnvelope>;

/** An empty `info` object. */
export const EmptyInfo = Type.Object({});
