import type { Kysely } from 'kysely';

/**
 * What several instances on one database need (PROTOCOL.md §10, issue 9):
 * - webhook outbox leases: an instance claims a due event (`lease_owner`, `lease_until`) before it
 *   delivers it, so no two instances deliver one event at the same time; a crashed instance's lease
 *   runs out and another picks the event up. `last_status` / `last_attempt_at` feed the console.
 * - `background_leases`: one row per background job (the janitor), claimed for its interval, so the
 *   job runs once per interval across instances.
 * - `one_time_key_uses.binding_id`: the card a key resolved to, so a retry gets the same answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_outbox').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('webhook_outbox').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('webhook_outbox').addColumn('last_status', 'integer').execute();
  await db.schema.alterTable('webhook_outbox').addColumn('last_attempt_at', 'text').execute();
  await db.schema
    .createIndex('webhook_outbox_channel')
    .on('webhook_outbox')
    .columns(['channel_id', 'id'])
    .execute();
  await db.schema
    .createTable('background_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('one_time_key_uses').addColumn('binding_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('one_time_key_uses').dropColumn('binding_id').execute();
  await db.schema.dropTable('background_leases').ifExists().execute();
  await db.schema.dropIndex('webhook_outbox_channel').ifExists().execute();
  for (const column of ['last_attempt_at', 'last_status', 'lease_until', 'lease_owner']) {
    await db.schema.alterTable('webhook_outbox').dropColumn(column).execute();
  }
}
