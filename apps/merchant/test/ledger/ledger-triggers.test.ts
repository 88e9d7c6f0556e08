import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { migrateDown, migrateToLatest } from '../../src/db/migrate.js';
import {
  addMember,
  buildMerchant,
  createTestStore,
  DIALECTS,
  entryCount,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

describe.each(DIALECTS)('ledger entries are append-only in the database itself (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  let entryId: number;

  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(store);
    const pos = await posClient(merchant);
    const member = await addMember(merchant, 'triggers@example.com');
    const res = await pos.post('accrue', {
      code: member.membership_code,
      amount: 900,
      currency: 'TWD',
      orderId: 'T-1',
    });
    entryId = res.body.entry.id;
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('refuses UPDATE of an entry', async () => {
    const db = merchant.context.db;
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
    const db = merchant.context.db;
    await expect(db.deleteFrom('ledger_entries').where('id', '=', entryId).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from ledger_entries`.execute(db)).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') {
      await expect(sql`truncate ledger_entries cascade`.execute(db)).rejects.toThrow(/append-only/);
    }
    expect(await entryCount(merchant)).toBe(1);
  });

  it('migrates down and up again', async () => {
    const { db, config } = { db: merchant.context.db, config: merchant.config };
    const schema = config.databaseSchema || undefined;
    await migrateDown(db, schema);
    await expect(sql`select count(*) from ledger_entries`.execute(db)).rejects.toThrow();
    await migrateToLatest(db, schema);
    expect(await entryCount(merchant)).toBe(0);
  });
});
