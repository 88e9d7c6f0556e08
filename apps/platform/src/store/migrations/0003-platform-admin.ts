import { type Kysely, sql } from 'kysely';
import { autoIncrementId, isSqlite } from '../dialect.js';

/**
 * Platform administration (issue 14, PROTOCOL.md §7 and §9): the `platform-admin` role, one-time
 * sign-in links, program reviews and pending revisions, operators' notices, the append-only audit
 * log, wallet users' reports, merchant API call counts and the logo's perceptual hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Null for merchant operators; 'platform-admin' for the people who run the platform (§9).
  await db.schema.alterTable('operators').addColumn('platform_role', 'text').execute();
  // 64-bit difference hash of the logo (hex), for look-alike detection; null until computed.
  await db.schema.alterTable('program_logos').addColumn('dhash', 'text').execute();

  await db.schema
    .createTable('operator_sign_in_links')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('program_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('logo_content_type', 'text')
    .addColumn('logo_base64', 'text')
    .addColumn('logo_dhash', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reasons', 'text')
    .execute();
  // At most one open review per program: a go-live request or one pending revision.
  await db.schema
    .createIndex('program_reviews_one_pending')
    .on('program_reviews')
    .column('channel_id')
    .unique()
    .where(sql.ref('state'), '=', 'PENDING')
    .execute();
  await db.schema
    .createIndex('program_reviews_channel')
    .on('program_reviews')
    .columns(['channel_id', 'requested_at'])
    .execute();

  await db.schema
    .createTable('console_notices')
    .addColumn('id', 'integer', autoIncrementId(db))
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('console_notices_operator')
    .on('console_notices')
    .columns(['operator_id', 'id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', autoIncrementId(db))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('source_address', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_target')
    .on('audit_log')
    .columns(['target_type', 'target_id', 'id'])
    .execute();
  await appendOnly(db, 'audit_log');

  await db.schema
    .createTable('program_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('binding_id', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema
    .createIndex('program_reports_user')
    .on('program_reports')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('program_reports_state')
    .on('program_reports')
    .columns(['state', 'created_at'])
    .execute();

  await db.schema
    .createTable('merchant_api_calls')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('return_code', 'text', (c) => c.notNull())
    .addColumn('calls', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('merchant_api_calls_pk', ['day', 'channel_id', 'return_code'])
    .execute();
}

/**
 * The database itself refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) on `table`, as for
 * the merchant ledger: an audit entry, once written, is never rewritten by the application.
 */
async function appendOnly(db: Kysely<unknown>, table: string): Promise<void> {
  if (isSqlite(db)) {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger ${table}_no_${op} before ${op} on ${table}
           begin select raise(abort, '${table} is append-only'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create function ${table}_append_only() returns trigger language plpgsql as $$
       begin
         raise exception '${table} is append-only' using errcode = 'insufficient_privilege';
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_no_change before update or delete on ${table}
       for each row execute function ${table}_append_only()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_no_truncate before truncate on ${table}
       for each statement execute function ${table}_append_only()`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'merchant_api_calls',
    'program_reports',
    'audit_log',
    'console_notices',
    'program_reviews',
    'operator_sign_in_links',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  if (!isSqlite(db)) await sql`drop function if exists audit_log_append_only()`.execute(db);
  await db.schema.alterTable('program_logos').dropColumn('dhash').execute();
  await db.schema.alterTable('operators').dropColumn('platform_role').execute();
}
