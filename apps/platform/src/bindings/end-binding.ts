import type { Transaction } from 'kysely';
import type { PlatformContext } from '../context.js';
import { getProgram } from '../programs/program-repository.js';
import type { Database } from '../store/schema.js';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.js';

/** Why a binding that never became a card ended: the `reason` of its webhook event. */
export type EndReason =
  | 'merchant_cancel'
  | 'merchant_fail'
  | 'wallet_cancel'
  | 'wallet_fail'
  | 'foreign_completion'
  | 'card_already_held'
  | 'superseded'
  | 'reservation_expired'
  | 'completion_expired';

export interface EndBindingRequest {
  id: string;
  to: 'CANCELLED' | 'EXPIRED';
  reason: EndReason;
  /** The states it may leave; a binding in another state is left alone. */
  from: readonly ('RESERVED' | 'APPLIED')[];
  /** Only while this completion token is its live one (which then dies with it). */
  completionHash?: string;
}

/**
 * Ends a binding that did not become a card — RESERVED/APPLIED → CANCELLED or EXPIRED — by one
 * conditional update, and puts `binding.cancelled` / `binding.expired` (PROTOCOL.md §6 v1.1) into
 * the webhook outbox in the same transaction: the merchant hears of each ending exactly once, and
 * only of endings that happened. Returns false when the binding had already left `from`.
 */
export async function endBindingIn(
  ctx: PlatformContext,
  trx: Transaction<Database>,
  request: EndBindingRequest,
): Promise<boolean> {
  const now = ctx.now().toISOString();
  const { completionHash } = request;
  const result = await trx
    .updateTable('bindings')
    .set({
      state: request.to,
      ended_at: now,
      end_reason: request.reason,
      ...(request.completionHash !== undefined ? { completion_hash: null, completion_expires_at: null } : {}),
    })
    .where('id', '=', request.id)
    .where('state', 'in', [...request.from])
    .$if(completionHash !== undefined, (q) => q.where('completion_hash', '=', completionHash ?? ''))
    .returning(['channel_id', 'membership_code'])
    .executeTakeFirst();
  if (!result) return false;
  const program = await getProgram(trx, result.channel_id);
  if (program) {
    await enqueueWebhook(ctx, trx, program, {
      type: request.to === 'CANCELLED' ? 'binding.cancelled' : 'binding.expired',
      data: {
        bindingId: request.id,
        ...(result.membership_code ? { membershipCode: result.membership_code } : {}),
        reason: request.reason,
      },
    });
  }
  return true;
}

/** {@link endBindingIn} in a transaction of its own. */
export function endBinding(ctx: PlatformContext, request: EndBindingRequest): Promise<boolean> {
  return ctx.db.transaction().execute((trx) => endBindingIn(ctx, trx, request));
}
