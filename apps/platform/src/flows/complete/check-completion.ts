import { findBindingByCompletionHash } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import { hashToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { stateReason } from '../../http/refusal-reasons.js';
import type { BindingTable } from '../../store/schema.js';

export interface CompletionRequest {
  userId: string;
  /** The completion token from the callback URL. */
  token: string;
  channelId: string;
  /** The browser's reservation verifier, if it sent the cookie. */
  verifier: string | undefined;
}

export interface CompletionCheck {
  ok: boolean;
  binding: BindingTable;
  /** The completion token's expiry (checked to be set and in the future). */
  expiresAt: string;
}

/**
 * The checks shared by preview and SUCCESS completion (PROTOCOL.md §4.7): a known completion
 * token (3003) of an APPLIED binding (3004, which also refuses a used token), still live (3002);
 * then whether it belongs to this user and this browser — the caller decides what a mismatch does.
 */
export async function checkCompletionToken(
  ctx: PlatformContext,
  request: CompletionRequest,
): Promise<CompletionCheck> {
  const binding = await findBindingByCompletionHash(ctx.db, hashToken(request.token));
  if (!binding || binding.channel_id !== request.channelId) throw fail('3003', 'completion_token_unknown');
  if (binding.state !== 'APPLIED') throw fail('3004', stateReason('binding', binding.state));
  const expiresAt = binding.completion_expires_at;
  if (!expiresAt || expiresAt <= ctx.now().toISOString()) throw fail('3002', 'completion_token_expired');
  return { ok: isSameUserAndBrowser(binding, request), binding, expiresAt };
}

/** The binding is this user's, started from this browser (reservation cookie hash). */
export function isSameUserAndBrowser(
  binding: BindingTable,
  request: { userId: string; verifier: string | undefined },
): boolean {
  if (binding.user_id !== request.userId) return false;
  return request.verifier !== undefined && hashToken(request.verifier) === binding.browser_hash;
}
