import { MyCardApiError } from '@mycard/merchant';
import type { Kysely, Transaction } from 'kysely';
import type { MerchantContext } from '../context.js';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Link states of a binding that never became a card (the member may add the card again). */
export type EndedLinkState = 'cancelled' | 'expired';

/**
 * Ends a link still waiting for the wallet (`applying`/`applied`) because its binding was cancelled
 * or expired, and drops its pending profile updates (they would only bounce). A link that became
 * a card is left alone: only `card.unbound` ends a card.
 */
export async function endPendingLinkIn(
  db: Db,
  bindingId: string,
  state: EndedLinkState,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('wallet_links')
    .set({ state, updated_at: now, unbound_reason: `binding ${state}` })
    .where('binding_id', '=', bindingId)
    .where('state', 'in', ['applying', 'applied'])
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await db
    .updateTable('profile_outbox')
    .set({ state: 'dead', last_error: `binding ${state}` })
    .where('binding_id', '=', bindingId)
    .where('state', '=', 'pending')
    .execute();
  return true;
}

/**
 * Asks the platform what became of a link still waiting for the wallet (`GET /v1/bindings/{id}`,
 * PROTOCOL.md §6 v1.1) and records it: the truth even when a webhook was lost or not configured.
 * Returns the link's state now; on a platform error the link stays as it was.
 */
export async function refreshPendingLink(
  ctx: MerchantContext,
  bindingId: string,
): Promise<'pending' | 'active' | EndedLinkState | 'unbound'> {
  let state: string;
  try {
    ({ state } = await ctx.platform.getBinding(bindingId));
  } catch (err) {
    // 3003: the platform has no such binding of ours (an Apply that never arrived).
    if (err instanceof MyCardApiError && err.returnCode === '3003') state = 'CANCELLED';
    else return 'pending';
  }
  const now = ctx.now().toISOString();
  if (state === 'CANCELLED' || state === 'EXPIRED') {
    const ended: EndedLinkState = state === 'CANCELLED' ? 'cancelled' : 'expired';
    await endPendingLinkIn(ctx.db, bindingId, ended, now);
    return ended;
  }
  if (state === 'ACTIVE') {
    await ctx.db
      .updateTable('wallet_links')
      .set({ state: 'active', updated_at: now })
      .where('binding_id', '=', bindingId)
      .where('state', 'in', ['applying', 'applied'])
      .execute();
    ctx.nudgeSync();
    return 'active';
  }
  if (state === 'UNBOUND') {
    await ctx.db
      .updateTable('wallet_links')
      .set({ state: 'unbound', updated_at: now, unbound_reason: 'unbound' })
      .where('binding_id', '=', bindingId)
      .execute();
    return 'unbound';
  }
  return 'pending';
}
