import { type ErrorReturnCode, RETURN_CODES } from '@mycard/protocol';
import { type TSchema, Type } from 'typebox';

/**
 * The error responses of a route, grouped by HTTP status: `{401: …4001…, 403: …4003…}` (PROTOCOL.md
 * §1–§2). Each lists its return codes in a `returnCode` enum under the HTTP status the registry gives
 * them, which the ops test checks against `RETURN_CODES`, docs/protocol.md and the codes the routes
 * really answer. 9000 (500) is on every route: any route can fail inside.
 */
export function errorResponses(...codes: ErrorReturnCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, ErrorReturnCode[]>();
  for (const code of new Set<ErrorReturnCode>([...codes, '9000'])) {
    const status = RETURN_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, TSchema> = {};
  for (const [status, list] of byStatus) out[status] = errorResponse(list);
  return out;
}

/** One status's error envelope with its codes (also for a status beside the registry's, e.g. 415/2101). */
export function errorResponse(codes: ErrorReturnCode[]): TSchema {
  return Type.Object(
    {
      returnCode: Type.Unsafe<ErrorReturnCode>({ type: 'string', enum: codes }),
      returnMessage: Type.String(),
    },
    { description: codes.map((c) => `${c}: ${RETURN_CODES[c].message}`).join(' ') },
  );
}
