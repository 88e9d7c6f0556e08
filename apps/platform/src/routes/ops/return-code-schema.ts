import { RETURN_CODES } from '@mycard/protocol';

/**
 * `components.schemas.ReturnCode` of the OpenAPI document: every code of the registry with its
 * HTTP status and message (PROTOCOL.md §2). Generated from `RETURN_CODES`, never typed by hand.
 */
export function returnCodeSchema() {
  const codes = Object.keys(RETURN_CODES);
  return {
    type: 'string' as const,
    enum: codes,
    description: 'Envelope return codes (HTTP status, meaning).',
    'x-return-codes': Object.fromEntries(
      Object.entries(RETURN_CODES).map(([code, { status, message }]) => [code, { status, message }]),
    ),
  };
}
