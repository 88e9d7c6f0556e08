import type { Kysely } from 'kysely';

/**
 * Group stores (PROTOCOL.md §8, issue 12): a group's shop runs several stores, each a participant of
 * the group program with its own channel. A till signs in to one store (`sessions.store_id`) and
 * every ledger entry records the store it was made at (`ledger_entries.store_id`); null for a shop
 * without stores and for entries made before. The balance stays one per member, across stores.
 * Columns only: the ledger's append-only triggers refuse UPDATE and DELETE, not a new column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ledger_entries').addColumn('store_id', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('store_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('store_id').execute();
  await db.schema.alterTable('ledger_entries').dropColumn('store_id').execute();
}
