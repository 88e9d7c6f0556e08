import { type Kysely, sql } from 'kysely';
import { autoIncrementId } from '../dialect.js';

/** The initial schema. Uniqueness rules of PROTOCOL.md live here, enforced by the database itself. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('operators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  for (const [table, owner] of [
    ['operator_sessions', 'operator_id'],
    ['wallet_sessions', 'user_id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn(owner, 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  }
  await db.schema
    .createTable('wallet_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('programs')
    .addColumn('channel_id', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code_type', 'text', (c) => c.notNull())
    .addColumn('binding_url', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('colors', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('program_secrets')
    .addColumn('id', 'integer', autoIncrementId(db))
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema.createIndex('program_secrets_channel').on('program_secrets').column('channel_id').execute();
  await db.schema
    .createTable('program_testers')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_testers_pk', ['channel_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('program_logos')
    .addColumn('channel_id', 'text', (c) => c.primaryKey())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data_base64', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bindings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('callback', 'text', (c) => c.notNull())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('membership_code', 'text')
    .addColumn('completion_hash', 'text', (c) => c.unique())
    .addColumn('completion_expires_at', 'text')
    .addColumn('profile', 'text')
    .addColumn('profile_version', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .execute();
  // One ACTIVE card per user per program (3006) and one membership code per program among live
  // bindings (3005): partial unique indexes, which SQLite and PostgreSQL both support.
  await db.schema
    .createIndex('bindings_one_card_per_user')
    .on('bindings')
    .columns(['channel_id', 'user_id'])
    .unique()
    .where(sql.ref('state'), '=', 'ACTIVE')
    .execute();
  await db.schema
    .createIndex('bindings_one_code_per_program')
    .on('bindings')
    .columns(['channel_id', 'membership_code'])
    .unique()
    .where(sql.ref('state'), 'in', ['APPLIED', 'ACTIVE'])
    .execute();
  await db.schema.createIndex('bindings_user').on('bindings').columns(['user_id', 'state']).execute();
  await db.schema
    .createTable('merchant_nonces')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('merchant_nonces_pk', ['channel_id', 'nonce'])
    .execute();
  await db.schema.createIndex('merchant_nonces_created').on('merchant_nonces').column('created_at').execute();
  await db.schema
    .createTable('one_time_keys')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('one_time_key_uses')
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('one_time_key_uses_pk', ['key_hash', 'channel_id'])
    .execute();
  await db.schema
    .createTable('webhook_outbox')
    .addColumn('id', 'integer', autoIncrementId(db))
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_outbox_due')
    .on('webhook_outbox')
    .columns(['delivered_at', 'next_attempt_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'webhook_outbox',
    'one_time_key_uses',
    'one_time_keys',
    'merchant_nonces',
    'bindings',
    'program_logos',
    'program_testers',
    'program_secrets',
    'programs',
    'wallet_users',
    'wallet_sessions',
    'operator_sessions',
    'operators',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
