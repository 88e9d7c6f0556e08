import { type Kysely, sql } from 'kysely';

/**
 * Running aggregates of the ledger (issue 10), kept on the member's balance row so an entry reads
 * them with the balance it locks and writes them with the balance it updates:
 *
 * - the card's soonest expiry (`expiry_at`, `expiry_points`: what `soonestExpiry(openLots(…))`
 *   answers; `expiry_points` null = not known yet, recomputed from the lots by the next entry);
 * - the tier's rolling qualifying spend: `tier_spend` is the spend of the sales made at or after
 *   `tier_since` (net of their refunds), `tier_next_out` the earliest of those sales (the next to
 *   leave the window), `tier` the member's tier as `member_tiers` holds it; `tier_since` null = not
 *   known yet (recomputed from the entries by the next entry).
 *
 * Also an index of each member's sales by time (only sales), for the sales that leave the window.
 * Columns and an index only, no rows change: the next entry of each member fills its aggregates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('balances').addColumn('expiry_at', 'text').execute();
  await db.schema.alterTable('balances').addColumn('expiry_points', 'integer').execute();
  await db.schema.alterTable('balances').addColumn('tier', 'text').execute();
  await db.schema.alterTable('balances').addColumn('tier_since', 'text').execute();
  await db.schema.alterTable('balances').addColumn('tier_spend', 'bigint').execute();
  await db.schema.alterTable('balances').addColumn('tier_next_out', 'text').execute();
  await db.schema
    .createIndex('ledger_sales_by_time')
    .on('ledger_entries')
    .columns(['member_id', 'created_at'])
    .where(sql.ref('kind'), '=', sql.lit('accrue'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ledger_sales_by_time').execute();
  for (const column of ['tier_next_out', 'tier_spend', 'tier_since', 'tier', 'expiry_points', 'expiry_at']) {
    await db.schema.alterTable('balances').dropColumn(column).execute();
  }
}
