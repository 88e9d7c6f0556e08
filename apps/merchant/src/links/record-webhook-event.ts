import type { WebhookEvent } from '@mycard/protocol';
import type { MerchantContext } from '../context.js';
import { isUniqueViolation } from '../db/dialect.js';
import { endPendingLinkIn } from './pending-link.js';

/**
 * Records a verified platform webhook once (de-duplicated by event id, PROTOCOL.md §6) and applies
 * it: `card.completed` marks the link active, `card.unbound` ends it, `binding.cancelled` and
 * `binding.expired` end a link that never became a card (the member may add the card again).
 * Returns false for a repeat.
 */
export async function recordWebhookEvent(
  ctx: MerchantContext,
  event: WebhookEvent,
  rawBody: string,
): Promise<boolean> {
  const now = ctx.now().toISOString();
  // One transaction: the event is recorded exactly when its effect is. (Recorded first and applied
  // after, a failure in between would make the platform's retry a "duplicate" and lose the event.)
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_events')
        .values({
          event_id: event.id,
          type: event.type,
          binding_id: event.data.bindingId,
          received_at: now,
          body: rawBody,
        })
        .execute();
      if (event.type === 'card.completed') {
        await trx
          .updateTable('wallet_links')
          .set({ state: 'active', updated_at: now })
          .where('binding_id', '=', event.data.bindingId)
          .where('state', 'in', ['applying', 'applied'])
          .execute();
        // Updates refused while the card awaited the wallet's confirmation can go now.
        await trx
          .updateTable('profile_outbox')
          .set({ next_attempt_at: now })
          .where('binding_id', '=', event.data.bindingId)
          .where('state', '=', 'pending')
          .execute();
      } else if (event.type === 'binding.cancelled' || event.type === 'binding.expired') {
        await endPendingLinkIn(
          trx,
          event.data.bindingId,
          event.type === 'binding.cancelled' ? 'cancelled' : 'expired',
          now,
        );
      } else if (event.type === 'card.unbound') {
        await trx
          .updateTable('wallet_links')
          .set({
            state: 'unbound',
            updated_at: now,
            unbound_reason: event.data.reason ?? 'unbound in wallet',
          })
          .where('binding_id', '=', event.data.bindingId)
          .execute();
        await trx
          .updateTable('profile_outbox')
          .set({ state: 'dead', last_error: 'card unbound' })
          .where('binding_id', '=', event.data.bindingId)
          .where('state', '=', 'pending')
          .execute();
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
  if (event.type === 'card.completed') ctx.nudgeSync();
  return true;
}
