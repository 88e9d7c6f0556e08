import type { Transaction } from 'kysely';
import type { MerchantContext } from '../context.js';
import type { Database, LedgerEntry } from '../db/schema.js';
import { queueTierMessage } from '../messages/card-messages.js';
import { type CardExpiry, openLots, recordLotMoves, soonestExpiry } from './lots.js';
import { recomputeTier, type TierChange } from './tiers.js';

/** What an entry changed beyond the balance: the card fields the wallet profile carries. */
export interface EntryEffects extends CardExpiry {
  tier: TierChange;
}

/**
 * Runs in every ledger entry's transaction, after the entry's insert and under the member's lock:
 * the entry's lot moves ({@link recordLotMoves}), the member's tier recomputed from the rolling
 * spend (with a card message when it changed), and the card's soonest expiry. Kept apart from `appendEntry` so the entry-writing path
 * itself only calls this once.
 */
export async function applyEntryEffects(
  ctx: MerchantContext,
  trx: Transaction<Database>,
  entry: LedgerEntry,
): Promise<EntryEffects> {
  await recordLotMoves(trx, entry, ctx.config.points.expiryMonths);
  const tier = await recomputeTier(trx, entry.member_id, ctx.now(), ctx.config.tiers);
  await queueTierMessage(ctx, trx, entry.member_id, entry.id, tier);
  return { tier, ...soonestExpiry(await openLots(trx, entry.member_id)) };
}
