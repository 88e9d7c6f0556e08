import { type Kysely, sql } from 'kysely';
import { autoIncrementId, isSqlite } from '../dialect.js';

/** Members, operators, sessions, balances, the append-only ledger, wallet links, outbox, webhooks. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = autoIncrementId(db);
  const bigId = isSqlite(db) ? 'integer' : 'bigint';

  await db.schema
    .createTable('members')
    .addColumn('id', bigId, id)
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('phone', 'text', (c) => c.unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('membership_code', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('members_login_present', sql`email is not null or phone is not null`)
    .execute();

  await db.schema
    .createTable('operators')
    .addColumn('id', bigId, id)
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', bigId, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('balances')
    .addColumn('member_id', bigId, (c) => c.primaryKey().references('members.id'))
    .addColumn('points', 'integer', (c) => c.notNull().check(sql`points >= 0`))
    .addColumn('lifetime_points', 'integer', (c) => c.notNull())
    .addColumn('version', bigId, (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', bigId, id)
    .addColumn('member_id', bigId, (c) => c.notNull().references('members.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('accrue', 'redeem', 'reverse')`))
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('amount', 'integer')
    .addColumn('currency', 'text')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('reverses_entry_id', bigId, (c) => c.references('ledger_entries.id'))
    .addColumn('balance_after', 'integer', (c) => c.notNull().check(sql`balance_after >= 0`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('operator_id', bigId, (c) => c.references('operators.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_member').on('ledger_entries').columns(['member_id', 'id']).execute();
  await db.schema.createIndex('ledger_reverses').on('ledger_entries').column('reverses_entry_id').execute();

  await db.schema
    .createTable('wallet_links')
    .addColumn('binding_id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', bigId, (c) => c.notNull().references('members.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('unbound_reason', 'text')
    .execute();
  await db.schema
    .createIndex('wallet_links_member')
    .on('wallet_links')
    .columns(['member_id', 'state'])
    .execute();

  await db.schema
    .createTable('profile_outbox')
    .addColumn('id', bigId, id)
    .addColumn('binding_id', 'text', (c) => c.notNull())
    .addColumn('member_id', bigId, (c) => c.notNull())
    .addColumn('version', bigId, (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('profile_outbox_pending')
    .on('profile_outbox')
    .columns(['state', 'binding_id', 'version'])
    .execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('binding_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();

  await appendOnlyTriggers(db);
}

/** The database itself refuses UPDATE and DELETE on ledger entries (and TRUNCATE on PostgreSQL). */
async function appendOnlyTriggers(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger ledger_entries_no_${op} before ${op} on ledger_entries
           begin select raise(abort, 'ledger_entries is append-only'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql`
    create function ledger_entries_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger_entries is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger ledger_entries_no_change before update or delete on ledger_entries
    for each row execute function ledger_entries_append_only()`.execute(db);
  await sql`
    create trigger ledger_entries_no_truncate before truncate on ledger_entries
    for each statement execute function ledger_entries_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'webhook_events',
    'profile_outbox',
    'wallet_links',
    'ledger_entries',
    'balances',
    'sessions',
    'operators',
    'members',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  if (!isSqlite(db)) await sql`drop function ledger_entries_append_only()`.execute(db);
}
