import { decodeJwt } from 'jose';
import { findBinding, findBindingByCompletionHash } from '../../bindings/binding-repository.js';
import { endBinding } from '../../bindings/end-binding.js';
import type { PlatformContext } from '../../context.js';
import { hashToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { stateReason } from '../../http/refusal-reasons.js';
import { verifyOwnBindingToken } from '../apply/apply-binding.js';
import { isSameUserAndBrowser } from './check-completion.js';

export interface CancelRequest {
  userId: string;
  /**
   * The binding token the merchant handed back with status CANCEL or FAIL, or the completion token
   * of the SUCCESS callback when the user declines on the wallet's confirm screen.
   */
  token: string;
  channelId: string;
  status: 'CANCEL' | 'FAIL';
  verifier: string | undefined;
}

export interface CancelResult {
  bindingId: string;
  state: 'CANCELLED';
}

/**
 * Completion tokens are exactly 43 base64url characters; a binding token is a compact JWS and
 * always has two dots, so the two kinds never overlap.
 */
const COMPLETION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Verify and complete binding, status CANCEL/FAIL (PROTOCOL.md §4.6–§4.7; docs/protocol-notes.md,
 * "Bindings"). The token is either kind:
 * - the binding token (the merchant's CANCEL/FAIL redirect): see {@link cancelByBindingToken};
 * - a completion token (the user said "Don't add" on the confirm screen after a SUCCESS callback):
 *   see {@link cancelByCompletionToken}.
 */
export async function cancelBindingByToken(
  ctx: PlatformContext,
  request: CancelRequest,
): Promise<CancelResult> {
  return COMPLETION_TOKEN.test(request.token)
    ? cancelByCompletionToken(ctx, request)
    : cancelByBindingToken(ctx, request);
}

/**
 * By binding token: verified by signature, issuer and audience (its expiry is ignored: a member may
 * cancel late) → the binding (3003) of this user and browser (3007) → RESERVED/APPLIED →
 * CANCELLED; an already cancelled one answers the same (idempotent); a card is 3004.
 */
async function cancelByBindingToken(ctx: PlatformContext, request: CancelRequest): Promise<CancelResult> {
  const claims = await verifyOwnBindingToken(ctx, request.channelId, request.token, () =>
    issuedAt(request.token),
  );
  const binding = await findBinding(ctx.db, claims.jti);
  if (!binding || binding.channel_id !== request.channelId) throw fail('3003', 'binding_unknown');
  if (!isSameUserAndBrowser(binding, request)) throw fail('3007', 'binding_foreign');
  if (binding.state === 'CANCELLED') return { bindingId: binding.id, state: 'CANCELLED' };
  const reason = request.status === 'CANCEL' ? 'merchant_cancel' : 'merchant_fail';
  if (!(await endBinding(ctx, { id: binding.id, to: 'CANCELLED', reason, from: ['RESERVED', 'APPLIED'] }))) {
    throw fail('3004', stateReason('binding', binding.state));
  }
  return { bindingId: binding.id, state: 'CANCELLED' };
}

/**
 * By completion token: a live completion token of an APPLIED binding of this channel (3003 for an
 * unknown, replaced or used one — a token dies when its binding leaves APPLIED; 3002 when expired)
 * → this user and browser, else 3007 and, as for SUCCESS, the binding is cancelled → APPLIED →
 * CANCELLED by a conditional update on the token hash that also clears it: the token dies, so a
 * later SUCCESS or CANCEL with it is 3003. Not idempotent, as the token is single-use.
 */
async function cancelByCompletionToken(ctx: PlatformContext, request: CancelRequest): Promise<CancelResult> {
  const hash = hashToken(request.token);
  const binding = await findBindingByCompletionHash(ctx.db, hash);
  if (!binding || binding.channel_id !== request.channelId || binding.state !== 'APPLIED') {
    throw fail('3003', 'completion_token_unknown');
  }
  const now = ctx.now().toISOString();
  if (!binding.completion_expires_at || binding.completion_expires_at <= now) {
    throw fail('3002', 'completion_token_expired');
  }
  if (!isSameUserAndBrowser(binding, request)) {
    await endBinding(ctx, {
      id: binding.id,
      to: 'CANCELLED',
      reason: 'foreign_completion',
      from: ['APPLIED'],
    });
    throw fail('3007', 'binding_foreign');
  }
  const cancelled = await endBinding(ctx, {
    id: binding.id,
    to: 'CANCELLED',
    reason: request.status === 'CANCEL' ? 'wallet_cancel' : 'wallet_fail',
    from: ['APPLIED'],
    completionHash: hash,
  });
  if (!cancelled) {
    // A parallel SUCCESS, CANCEL or re-apply used or replaced the token first.
    throw fail('3003', 'completion_token_unknown');
  }
  return { bindingId: binding.id, state: 'CANCELLED' };
}

/** The token's own `iat` as the verification time, so that every check but expiry applies. */
function issuedAt(token: string): Date {
  try {
    const { iat } = decodeJwt(token);
    if (typeof iat === 'number' && Number.isFinite(iat)) return new Date(iat * 1000);
  } catch {
    // Malformed: the verifier itself reports 3001.
  }
  return new Date(0);
}
