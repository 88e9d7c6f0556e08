import { type ErrorReturnCode, RETURN_CODES } from '@mycard/protocol';
import { type TSchema, Type } from 'typebox';

/**
 * Response schemas of the envelope (PROTOCOL.md §1) for route declarations: the same schema
 * serializes the response and documents it in the OpenAPI document. Error responses list their
 * return codes in a `returnCode` enum under the HTTP status the registry gives them, which the
 * ops test checks against `RETURN_CODES` and docs/protocol.md.
 */
export function okEnvelope<T extends TSchema>(info: T, description = 'Success.') {
  return Type.Object(
    { returnCode: Type.Literal('0000'), returnMessage: Type.String(), info },
    { description },
  );
}

/** The error responses of a route, grouped by HTTP status: `{401: …4001…, 403: …4003…}`. */
export function errorResponses(...codes: ErrorReturnCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, ErrorReturnCode[]>();
  for (const code of codes) {
    const status = RETURN_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, TSchema> = {};
  for (const [status, list] of byStatus) {
    out[status] = Type.Object(
      {
        returnCode: Type.Unsafe<ErrorReturnCode>({ type: 'string', enum: list }),
        returnMessage: Type.String(),
      },
      { description: list.map((c) => `${c}: ${RETURN_CODES[c].message}`).join(' ') },
    );
  }
  return out;
}

/** An empty `info` object. */
export const EmptyInfo = Type.Object({});
