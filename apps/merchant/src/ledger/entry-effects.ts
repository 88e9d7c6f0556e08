import type { Transaction } from 'kysely';
import type { MerchantContext } from '../context.js';
import type { Database, LedgerEntry } from '../db/schema.js';
import { queueTierMessage } from '../messages/card-messages.js';
import { type CardExpiry, openLots, recordLotMoves, soonestExpiry, withNewLot } from './lots.js';
import { recomputeTier, type TierChange, type TierWindow, UNKNOWN_WINDOW } from './tiers.js';

/** What an entry changed beyond the balance: the card fields the wallet profile carries. */
export interface EntryEffects extends CardExpiry {
  tier: TierChange;
}

/**
 * The running aggregates the member's balance row keeps (migration 0006), read with the balance
 * under its lock and written with it: the soonest expiry (`expiry` null: not known) and the tier's
 * rolling window.
 */
export interface KeptAggregates {
  expiry: CardExpiry | null;
  window: TierWindow;
}

export const UNKNOWN_AGGREGATES: KeptAggregates = { expiry: null, window: UNKNOWN_WINDOW };

/**
 * Runs in every ledger entry's transaction, after the entry's insert and under the member's lock:
 * the entry's lot moves ({@link recordLotMoves}), the member's tier recomputed from the rolling
 * spend (with a card message when it changed), and the card's soonest expiry. A sale updates the
 * kept aggregates by what it adds (its amount, its lot); other entries and aggregates not known yet
 * are computed from the entries and lots. Returns the aggregates to keep. Kept apart from
 * `appendEntry` so the entry-writing path itself only calls this once.
 */
export async function applyEntryEffects(
  ctx: MerchantContext,
  trx: Transaction<Database>,
  entry: LedgerEntry,
  kept: KeptAggregates = UNKNOWN_AGGREGATES,
): Promise<EntryEffects & { kept: KeptAggregates }> {
  const lot = await recordLotMoves(trx, entry, ctx.config.points.expiryMonths);
  const tier = await recomputeTier(trx, entry, ctx.now(), ctx.config.tiers, kept.window);
  await queueTierMessage(ctx, trx, entry.member_id, entry.id, tier);
  let expiry: CardExpiry;
  if (entry.kind === 'accrue' && kept.expiry) expiry = lot ? withNewLot(kept.expiry, lot) : kept.expiry;
  else expiry = soonestExpiry(await openLots(trx, entry.member_id));
  return { tier, ...expiry, kept: { expiry, window: tier.window } };
}
