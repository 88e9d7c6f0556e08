import { type ErrorReturnCode, RETURN_CODES } from '@mycard/protocol';
import { type TSchema, Type } from 'typebox';

/**
 * The error responses of a route, grouped by HTTP status: `{401: …4001…, 403: …4003…}` (PROTOCOL.md
 * §1–§2). Each lists its return codes in a `returnCode` enum under the HTTP status the registry gives
 * them. 9000 is on every route, under 500 (any route can fail inside) and 503 (a dependency — the
 * database, Redis for the sign-in limits — is unavailable; with Retry-After). The ops test checks them
 * against `RETURN_CODES` and docs/protocol.md, and every platform test checks that routes answer
 * only what they declare (test/helpers/declared-codes.ts).
 */
export function errorResponses(...codes: ErrorReturnCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, ErrorReturnCode[]>();
  for (const code of new Set<ErrorReturnCode>([...codes, '9000'])) {
    const status = RETURN_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, TSchema> = {};
  for (const [status, list] of byStatus) out[status] = errorResponse(list);
  out[503] = errorResponse(['9000'], '9000: a dependency is unavailable; try again after Retry-After.');
  return out;
}

/** One status's error envelope with its codes (also for a status beside the registry's: 415 / 2101). */
export function errorResponse(codes: ErrorReturnCode[], description?: string): TSchema {
  return Type.Object(
    {
      returnCode: Type.Unsafe<ErrorReturnCode>({ type: 'string', enum: codes }),
      returnMessage: Type.String(),
    },
    { description: description ?? codes.map((c) => `${c}: ${RETURN_CODES[c].message}`).join(' ') },
  );
}
