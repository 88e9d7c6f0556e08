import { requireBinding } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import type { Program } from '../../programs/program-repository.js';
import type { BindingTable } from '../../store/schema.js';
import { enqueueWebhook } from '../../webhooks/enqueue-webhook.js';

/**
 * Ends a card: ACTIVE → UNBOUND with the `card.unbound` webhook in the same transaction. An
 * already UNBOUND card is returned as it is (idempotent: unbinding twice is one unbinding).
 * `by` is who ended it: 'user' or 'merchant' (the webhook's `reason`).
 */
export async function unbindCard(
  ctx: PlatformContext,
  program: Pick<Program, 'channelId' | 'webhookUrl'>,
  binding: BindingTable,
  by: 'user' | 'merchant',
  reason?: string,
): Promise<BindingTable> {
  if (binding.state !== 'ACTIVE') return binding;
  const now = ctx.now().toISOString();
  const endReason = reason ? `${by}: ${reason}` : by;
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('bindings')
      .set({ state: 'UNBOUND', ended_at: now, end_reason: endReason })
      .where('id', '=', binding.id)
      .where('state', '=', 'ACTIVE')
      .executeTakeFirst();
    // Someone else ended it a moment ago: one unbinding, one event.
    if (Number(result.numUpdatedRows) !== 1) return;
    await enqueueWebhook(ctx, trx, program, {
      type: 'card.unbound',
      data: { bindingId: binding.id, reason: by },
    });
  });
  return requireBinding(ctx.db, binding.id);
}
