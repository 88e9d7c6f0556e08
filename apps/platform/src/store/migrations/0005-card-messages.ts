import type { Kysely } from 'kysely';

/**
 * Card messages and the inbox (PROTOCOL.md §6, §11, issue 13), after the platform-admin (0003) and
 * organizations (0004) migrations.
 * - `card_messages`: one row per (channel, messageId) — the primary key makes a send idempotent
 *   across instances; `(binding_id, sent_at)` serves the 24-hour quota count, `(user_id, sent_at)`
 *   the inbox.
 * - `card_mutes`: a row per card whose holder muted its messages (none: not muted), so no existing
 *   table changes shape.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('card_messages')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('binding_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addPrimaryKeyConstraint('card_messages_pk', ['channel_id', 'message_id'])
    .execute();
  await db.schema
    .createIndex('card_messages_binding_sent')
    .on('card_messages')
    .columns(['binding_id', 'sent_at'])
    .execute();
  await db.schema
    .createIndex('card_messages_user_sent')
    .on('card_messages')
    .columns(['user_id', 'sent_at'])
    .execute();
  await db.schema
    .createTable('card_mutes')
    .addColumn('binding_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('muted_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('card_mutes').ifExists().execute();
  await db.schema.dropTable('card_messages').ifExists().execute();
}
