import { ApiError } from '@mycard/web-kit';

/**
 * How the confirm screen reads a refused "Don't add" (`POST /v1/bindings/complete` with the
 * completion token and `status: "CANCEL"`, protocol-notes "Bindings"):
 * - `declined`: nothing was or can be added anyway — the token expired (3002; its binding stays
 *   APPLIED and can never become a card) or the attempt was from another account or browser (3007;
 *   the platform cancelled the binding);
 * - `error`: the token is unknown or already used (3003) — perhaps confirmed in another tab — so the
 *   wallet must not claim that nothing was added;
 * - `retry`: anything else (network, session, server): stay on the confirm screen and let the person
 *   try again.
 */
export function declineOutcome(error: unknown): 'declined' | 'error' | 'retry' {
  if (!(error instanceof ApiError)) return 'retry';
  if (error.returnCode === '3002' || error.returnCode === '3007') return 'declined';
  if (error.returnCode === '3003') return 'error';
  return 'retry';
}
