import type { BindingStatus } from '@mycard/wire';
import { findBinding, requireBinding } from '../../bindings/binding-repository.js';
import { endBinding } from '../../bindings/end-binding.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import type { BindingTable } from '../../store/schema.js';

/**
 * `GET /v1/bindings/{bindingId}` (PROTOCOL.md §6 v1.1): what became of a binding of this channel,
 * so a merchant whose member left mid-way can tell (3003 for an unknown id or another channel's
 * binding — the two are not told apart). A binding whose time ran out but that the janitor has not
 * reached yet is expired now, with its `binding.expired` event, so the answer and the webhooks
 * never disagree.
 */
export async function getBindingStatus(
  ctx: PlatformContext,
  channelId: string,
  bindingId: string,
): Promise<BindingStatus> {
  let binding = await findBinding(ctx.db, bindingId);
  if (!binding || binding.channel_id !== channelId) throw fail('3003', 'binding_unknown');
  const now = ctx.now().toISOString();
  const due =
    (binding.state === 'RESERVED' && binding.expires_at <= now) ||
    (binding.state === 'APPLIED' &&
      binding.completion_expires_at !== null &&
      binding.completion_expires_at <= now);
  if (due) {
    const reserved = binding.state === 'RESERVED';
    await endBinding(ctx, {
      id: binding.id,
      to: 'EXPIRED',
      reason: reserved ? 'reservation_expired' : 'completion_expired',
      from: [reserved ? 'RESERVED' : 'APPLIED'],
    });
    binding = await requireBinding(ctx.db, bindingId);
  }
  return toBindingStatus(binding);
}

function toBindingStatus(binding: BindingTable): BindingStatus {
  return {
    bindingId: binding.id,
    state: binding.state,
    ...(binding.membership_code !== null ? { membershipCode: binding.membership_code } : {}),
    updatedAt: binding.ended_at ?? binding.completed_at ?? binding.applied_at ?? binding.created_at,
  };
}
