import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../../src/db/migrate.js';
import { addMember, DIALECTS, entryCount, usePosMerchant } from '../support/merchant-harness.js';

describe.each(DIALECTS)('ledger entries are append-only in the database itself (%s)', (dialect) => {
  const t = usePosMerchant(dialect);
  let entryId: number;

  beforeAll(async () => {
    const member = await addMember(t.merchant, 'triggers@example.com');
    const res = await t.pos.post('accrue', {
      code: member.membership_code,
      amount: 900,
      currency: 'TWD',
      orderId: 'T-1',
    });
    entryId = res.body.entry.id;
  });

  it('refuses UPDATE of an entry', async () => {
    const db = t.merchant.context.db;
    await expect(
      db.updateTable('ledger_entries').set({ points: 1000 }).where('id', '=', entryId).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`update ledger_entries set balance_after = 0`.execute(db)).rejects.toThrow(/append-only/);
    const row = await db
      .selectFrom('ledger_entries')
      .select('points')
      .where('id', '=', entryId)
      .executeTakeFirstOrThrow();
    expect(row.points).toBe(9);
  });

  it('refuses DELETE of an entry', async () => {
    const db = t.merchant.context.db;
    await expect(db.deleteFrom('ledger_entries').where('id', '=', entryId).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from ledger_entries`.execute(db)).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') {
      await expect(sql`truncate ledger_entries cascade`.execute(db)).rejects.toThrow(/append-only/);
    }
    expect(await entryCount(t.merchant)).toBe(1);
  });

  it('migrates down and up again', async () => {
    const { db, config } = { db: t.merchant.context.db, config: t.merchant.config };
    const schema = config.databaseSchema || undefined;
    // Each migration's down, newest first.
    await migrateDown(db, schema);
    await expect(sql`select tier_spend from balances`.execute(db)).rejects.toThrow();
    await migrateDown(db, schema);
    await expect(sql`select store_id from ledger_entries`.execute(db)).rejects.toThrow();
    await migrateDown(db, schema);
    await expect(sql`select count(*) from point_lots`.execute(db)).rejects.toThrow();
    await migrateDown(db, schema);
    await expect(sql`select lease_until from profile_outbox`.execute(db)).rejects.toThrow();
    await migrateDown(db, schema);
    await expect(sql`select count(*) from spent_one_time_keys`.execute(db)).rejects.toThrow();
    await migrateDown(db, schema);
    await expect(sql`select count(*) from ledger_entries`.execute(db)).rejects.toThrow();
    await migrateToLatest(db, schema);
    expect(await entryCount(t.merchant)).toBe(0);
  });
});
