import type { Kysely } from 'kysely';

/**
 * One row per wallet one-time key ("My Code") this shop has credited or debited with. The platform
 * answers a key again while it is valid (retry-safe, PROTOCOL.md §6), so the shop itself keeps a
 * key to one ledger operation: the primary key refuses the same key for a second order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('spent_one_time_keys')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('spent_one_time_keys').execute();
}
