import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../dialect.js';

const KINDS_BEFORE = "kind in ('accrue', 'redeem', 'reverse')";
const KINDS_AFTER = "kind in ('accrue', 'redeem', 'reverse', 'expire')";

/** What a lot backfilled from the entries before this migration expires after (the default). */
const BACKFILL_EXPIRY_MONTHS = 12;

/**
 * Point lots (issue 13): every accrual is a lot with an expiry date; redemptions, reversals and
 * expiries consume lots, recorded as append-only `lot_uses` rows next to their ledger entry. Also:
 * the `expire` entry kind, the member's tier, the card message outbox, job claims, and the card
 * profile's expiry fields in the profile outbox. Balances before this migration become lots by
 * replaying each member's entries (oldest first).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bigId = isSqlite(db) ? 'integer' : 'bigint';
  await widenEntryKinds(db);

  await db.schema
    .createTable('point_lots')
    // The accrual entry that earned the lot.
    .addColumn('id', bigId, (c) => c.primaryKey().references('ledger_entries.id'))
    .addColumn('member_id', bigId, (c) => c.notNull().references('members.id'))
    .addColumn('points', 'integer', (c) => c.notNull().check(sql`points > 0`))
    // Null: never expires.
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('point_lots_member').on('point_lots').columns(['member_id', 'id']).execute();
  await db.schema.createIndex('point_lots_expiry').on('point_lots').columns(['expires_at']).execute();

  await db.schema
    .createTable('lot_uses')
    .addColumn('entry_id', bigId, (c) => c.notNull().references('ledger_entries.id'))
    .addColumn('lot_id', bigId, (c) => c.notNull().references('point_lots.id'))
    .addColumn('points', 'integer', (c) => c.notNull().check(sql`points > 0`))
    .addPrimaryKeyConstraint('lot_uses_pk', ['entry_id', 'lot_id'])
    .execute();
  await db.schema.createIndex('lot_uses_lot').on('lot_uses').column('lot_id').execute();

  await db.schema
    .createTable('reversal_shortfalls')
    .addColumn('entry_id', bigId, (c) => c.primaryKey().references('ledger_entries.id'))
    .addColumn('points', 'integer', (c) => c.notNull().check(sql`points > 0`))
    .execute();

  await db.schema
    .createTable('member_tiers')
    .addColumn('member_id', bigId, (c) => c.primaryKey().references('members.id'))
    .addColumn('tier', 'text')
    .addColumn('spend', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('message_outbox')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('binding_id', 'text', (c) => c.notNull())
    .addColumn('member_id', bigId, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('message_outbox_due')
    .on('message_outbox')
    .columns(['state', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('job_claims')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('job_claims_pk', ['job', 'run_key'])
    .execute();

  await db.schema.alterTable('profile_outbox').addColumn('points_expire_at', 'text').execute();
  await db.schema.alterTable('profile_outbox').addColumn('expiring_points', 'integer').execute();

  for (const table of ['lot_uses', 'reversal_shortfalls', 'point_lots']) await appendOnly(db, table);
  await backfillLots(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('profile_outbox').dropColumn('expiring_points').execute();
  await db.schema.alterTable('profile_outbox').dropColumn('points_expire_at').execute();
  for (const table of ['job_claims', 'message_outbox', 'member_tiers', 'reversal_shortfalls', 'lot_uses']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropTable('point_lots').execute();
  if (!isSqlite(db)) {
    for (const table of ['lot_uses', 'reversal_shortfalls', 'point_lots']) {
      await sql`drop function if exists ${sql.id(`${table}_append_only`)}()`.execute(db);
    }
  }
  // The widened kind check stays: narrowing it would fail on a ledger that holds expiries.
}

/**
 * Lets `kind` be `expire`. PostgreSQL alters the check; SQLite cannot, so the table is rebuilt
 * from its own stored definition with only the check's text changed (whatever columns other
 * migrations added come along), its rows copied as they are, and its indexes and triggers
 * recreated. Nothing in the ledger changes: no UPDATE or DELETE reaches a row.
 */
async function widenEntryKinds(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) {
    await sql`alter table ledger_entries drop constraint ledger_entries_kind_check`.execute(db);
    await sql
      .raw(`alter table ledger_entries add constraint ledger_entries_kind_check check (${KINDS_AFTER})`)
      .execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'table' and name = 'ledger_entries'`.execute(db);
  const definition = table.rows[0]?.sql ?? '';
  // Down leaves the check widened (see there): up again has nothing to do.
  if (definition.includes(KINDS_AFTER)) return;
  if (!definition.includes(KINDS_BEFORE)) throw new Error('ledger_entries: unexpected kind check');
  const rebuilt = definition
    .replace(KINDS_BEFORE, KINDS_AFTER)
    .replace(/^create table "ledger_entries"/i, 'create table "ledger_entries_next"');
  const attached = await sql<{ sql: string }>`
    select sql from sqlite_master
    where tbl_name = 'ledger_entries' and type in ('index', 'trigger') and sql is not null`.execute(db);
  // Foreign keys off while the table is swapped (a PRAGMA that only works outside a transaction);
  // checked again afterwards.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await sql.raw(rebuilt).execute(db);
      await sql`insert into ledger_entries_next select * from ledger_entries`.execute(db);
      await sql`drop table ledger_entries`.execute(db);
      await sql`alter table ledger_entries_next rename to ledger_entries`.execute(db);
      for (const row of attached.rows) await sql.raw(row.sql).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error('ledger_entries rebuild broke a foreign key');
      await sql`commit`.execute(db);
    } catch (err) {
      await sql`rollback`.execute(db);
      throw err;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/** The database refuses UPDATE and DELETE of `table`'s rows, as it does for ledger entries. */
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
}

interface BackfillEntry {
  id: number;
  member_id: number;
  kind: string;
  points: number;
  reverses_entry_id: number | null;
  created_at: string;
}

/**
 * Lots for the points members hold from before lots existed: each member's entries replayed in
 * order — an accrual opens a lot, a reversal takes from its own sale's lot, a redemption from the
 * oldest lots first — and the lot uses written as the entries would have written them.
 */
async function backfillLots(db: Kysely<unknown>): Promise<void> {
  const result = await sql<BackfillEntry>`
    select id, member_id, kind, points, reverses_entry_id, created_at from ledger_entries
    order by member_id, id`.execute(db);
  type Lot = { id: number; member: number; left: number; points: number; at: string };
  const lots = new Map<number, Lot>();
  const byMember = new Map<number, Lot[]>();
  const uses: Array<{ entry_id: number; lot_id: number; points: number }> = [];
  const take = (entryId: number, lot: Lot | undefined, points: number) => {
    const n = lot ? Math.min(lot.left, Math.max(0, points)) : 0;
    if (lot && n > 0) {
      lot.left -= n;
      uses.push({ entry_id: entryId, lot_id: lot.id, points: n });
    }
    return n;
  };
  for (const raw of result.rows) {
    const e = { ...raw, id: Number(raw.id), member_id: Number(raw.member_id) };
    if (e.kind === 'accrue' && e.points > 0) {
      const lot = { id: e.id, member: e.member_id, left: e.points, points: e.points, at: e.created_at };
      lots.set(e.id, lot);
      byMember.set(e.member_id, [...(byMember.get(e.member_id) ?? []), lot]);
    } else if (e.kind === 'reverse' && e.reverses_entry_id !== null) {
      take(e.id, lots.get(Number(e.reverses_entry_id)), -e.points);
    } else if (e.kind === 'redeem') {
      let due = -e.points;
      for (const lot of byMember.get(e.member_id) ?? []) {
        if (due <= 0) break;
        due -= take(e.id, lot, due);
      }
    }
  }
  for (const lot of lots.values()) {
    const expires = addMonths(new Date(lot.at), BACKFILL_EXPIRY_MONTHS).toISOString();
    await sql`insert into point_lots (id, member_id, points, expires_at, created_at)
      values (${lot.id}, ${lot.member}, ${lot.points}, ${expires}, ${lot.at})`.execute(db);
  }
  for (const use of uses) {
    await sql`insert into lot_uses (entry_id, lot_id, points)
      values (${use.entry_id}, ${use.lot_id}, ${use.points})`.execute(db);
  }
}

/** `at` plus whole calendar months (UTC), the day clamped to the month's last (31 Jan + 1 = 28/29 Feb). */
function addMonths(at: Date, months: number): Date {
  const target = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), last));
  target.setUTCHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return target;
}
