import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { openLots } from '../../src/ledger/lots.js';
import {
  addMember,
  balanceOf,
  buildMerchant,
  createTestStore,
  DIALECTS,
  type PosClient,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

const TIERS = [
  { name: 'Member', minSpend: 0 },
  { name: 'Silver', minSpend: 10_000 },
  { name: 'Gold', minSpend: 50_000 },
];

/** Balance = sum of the member's entries = sum of what is left of their lots. */
async function expectBooksAgree(merchant: MerchantApp, memberId: number): Promise<number> {
  const { db } = merchant.context;
  const sum = await db
    .selectFrom('ledger_entries')
    .select(sql<number>`coalesce(sum(points), 0)`.as('points'))
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  const balance = await balanceOf(merchant, memberId);
  const lots = await openLots(db, memberId);
  expect(Number(sum.points)).toBe(balance);
  expect(lots.reduce((n, l) => n + l.left, 0)).toBe(balance);
  return balance;
}

async function tierOf(merchant: MerchantApp, memberId: number) {
  return merchant.context.db
    .selectFrom('member_tiers')
    .select(['tier', 'spend'])
    .where('member_id', '=', memberId)
    .executeTakeFirst();
}

describe.each(DIALECTS)('point lots, FIFO and tiers on a fixed clock (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  let pos: PosClient;
  let now = new Date('2026-01-10T10:00:00.000Z');
  let tills = 0;
  /** Moves the clock; the till signs in again (its session would have run out). */
  const at = async (iso: string) => {
    now = new Date(iso);
    pos = await posClient(merchant, `till-${++tills}`);
  };

  beforeAll(async () => {
    store = createTestStore(dialect, {
      tiers: { windowMonths: 12, levels: TIERS },
      points: { expiryMonths: 12 },
    });
    merchant = await buildMerchant(store, { now: () => now });
    pos = await posClient(merchant);
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('opens a lot per sale with its expiry and redeems the oldest lots first', async () => {
    const member = await addMember(merchant, 'fifo@example.com');
    const code = member.membership_code;
    await at('2026-01-31T09:00:00.000Z');
    const a = await pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'FI-A' });
    await at('2026-02-15T09:00:00.000Z');
    const b = await pos.post('accrue', { code, amount: 2000, currency: 'TWD', orderId: 'FI-B' });
    const lots = await openLots(merchant.context.db, member.id);
    expect(lots.map((l) => [l.id, l.points, l.left, l.expiresAt])).toEqual([
      [a.body.entry.id, 10, 10, '2027-01-31T09:00:00.000Z'],
      [b.body.entry.id, 20, 20, '2027-02-15T09:00:00.000Z'],
    ]);

    const r = await pos.post('redeem', { code, points: 14, orderId: 'FI-R' });
    expect(r.status).toBe(201);
    const uses = await merchant.context.db
      .selectFrom('lot_uses')
      .select(['lot_id', 'points'])
      .where('entry_id', '=', r.body.entry.id)
      .orderBy('lot_id')
      .execute();
    expect(uses.map((u) => [Number(u.lot_id), u.points])).toEqual([
      [a.body.entry.id, 10],
      [b.body.entry.id, 4],
    ]);
    expect((await openLots(merchant.context.db, member.id)).map((l) => [l.id, l.left])).toEqual([
      [b.body.entry.id, 16],
    ]);
    expect(await expectBooksAgree(merchant, member.id)).toBe(16);

    // The card's expiry fields follow the soonest open lot (sale A is used up: B's).
    const outbox = await merchant.context.db
      .selectFrom('profile_outbox')
      .selectAll()
      .where('member_id', '=', member.id)
      .execute();
    expect(outbox).toHaveLength(0); // no wallet link: nothing to push
  });

  it('a partial refund after a partial redemption takes back only what is left of the sale, and says so', async () => {
    const member = await addMember(merchant, 'partial@example.com');
    const code = member.membership_code;
    await at('2026-03-01T10:00:00.000Z');
    await pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'PR-A' }); // 10 pts
    await pos.post('accrue', { code, amount: 2000, currency: 'TWD', orderId: 'PR-B' }); // 20 pts
    await pos.post('redeem', { code, points: 14, orderId: 'PR-R' }); // A: 10, B: 4 → B has 16 left

    // Half of B: due 10, 16 left of B → all 10 taken back.
    const half = await pos.post('refund', { orderId: 'PR-B', refundId: 'R1', amount: 1000 });
    expect(half.status).toBe(201);
    expect([half.body.entry.points, half.body.pointsNotTakenBack, half.body.balance]).toEqual([-10, 0, 6]);
    // The rest of B: due 10, only 6 left → 6 taken back, 4 not (they were redeemed).
    const rest = await pos.post('refund', { orderId: 'PR-B', refundId: 'R2' });
    expect(rest.status).toBe(201);
    expect([rest.body.entry.points, rest.body.pointsNotTakenBack, rest.body.balance]).toEqual([-6, 4, 0]);
    expect(rest.body.order).toEqual({ amount: 2000, refundedAmount: 2000, remainingAmount: 0 });
    // A was redeemed whole: its refund takes back nothing and says 10 were not taken back.
    const a = await pos.post('refund', { orderId: 'PR-A', refundId: 'R3', amount: 1000 });
    expect([a.status, a.body.entry.points, a.body.pointsNotTakenBack]).toEqual([201, 0, 10]);
    // A replay answers the same bytes, nothing new stored.
    const replay = await pos.post('refund', { orderId: 'PR-B', refundId: 'R2' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(rest.body);
    expect(await expectBooksAgree(merchant, member.id)).toBe(0);
    const shortfalls = await merchant.context.db.selectFrom('reversal_shortfalls').selectAll().execute();
    expect(shortfalls.map((s) => [Number(s.entry_id), s.points]).sort()).toEqual(
      [
        [rest.body.entry.id, 4],
        [a.body.entry.id, 10],
      ].sort(),
    );
  });

  it('tiers follow the rolling 12-month qualifying spend, exactly at the thresholds and the window edge', async () => {
    const member = await addMember(merchant, 'tiers@example.com');
    const code = member.membership_code;
    await at('2026-04-15T12:00:00.000Z');
    await pos.post('accrue', { code, amount: 9_999, currency: 'TWD', orderId: 'TI-1' });
    expect(await tierOf(merchant, member.id)).toEqual({ tier: 'Member', spend: 9_999 });
    await at('2026-05-01T12:00:00.000Z');
    await pos.post('accrue', { code, amount: 1, currency: 'TWD', orderId: 'TI-2' });
    expect(await tierOf(merchant, member.id)).toEqual({ tier: 'Silver', spend: 10_000 });
    // A refund of 1 drops it back below the threshold.
    await pos.post('refund', { orderId: 'TI-2', refundId: 'R1', amount: 1 });
    expect(await tierOf(merchant, member.id)).toEqual({ tier: 'Member', spend: 9_999 });
    await pos.post('accrue', { code, amount: 40_001, currency: 'TWD', orderId: 'TI-3' });
    expect(await tierOf(merchant, member.id)).toEqual({ tier: 'Gold', spend: 50_000 });

    // Exactly 12 months after TI-1 it still counts; one millisecond later it has left the window
    // (recomputed at the next entry, here a redemption).
    await at('2027-04-15T12:00:00.000Z');
    await pos.post('redeem', { code, points: 1, orderId: 'TI-4' });
    expect(await tierOf(merchant, member.id)).toEqual({ tier: 'Gold', spend: 50_000 });
    await at('2027-04-15T12:00:00.001Z');
    await pos.post('redeem', { code, points: 1, orderId: 'TI-5' });
    expect(await tierOf(merchant, member.id)).toEqual({ tier: 'Silver', spend: 40_001 });
    // A refund counts against its own sale's date: refunding TI-1 (out of the window) changes nothing.
    await pos.post('refund', { orderId: 'TI-1', refundId: 'R2', amount: 5_000 });
    expect(await tierOf(merchant, member.id)).toEqual({ tier: 'Silver', spend: 40_001 });
    await expectBooksAgree(merchant, member.id);
  });
});

describe.each(DIALECTS)('migration 0004 turns an existing ledger into lots (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(store);
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('replays each member: sales open lots, redemptions take the oldest first, refunds their own sale', async () => {
    const { db } = merchant.context;
    const schema = merchant.config.databaseSchema || undefined;
    const member = await addMember(merchant, 'legacy@example.com');
    // Back to the schema before 0004 (later migrations, e.g. 0005, go first).
    await migrateTo(db, '0003-outbox-lease', schema);
    const entry = async (
      id: number,
      kind: string,
      points: number,
      balance: number,
      at: string,
      reverses: number | null = null,
    ) =>
      sql`insert into ledger_entries (id, member_id, kind, points, amount, currency, order_id,
          idempotency_key, fingerprint, reverses_entry_id, balance_after, source, operator_id, created_at)
        values (${id}, ${member.id}, ${kind}, ${points}, ${kind === 'redeem' ? null : 1000}, 'TWD',
          ${`L-${id}`}, ${`${kind}:L-${id}`}, 'f', ${reverses}, ${balance}, 'membership_code', null, ${at})`.execute(
        db,
      );
    await entry(101, 'accrue', 10, 10, '2025-06-01T08:00:00.000Z');
    await entry(102, 'accrue', 20, 30, '2025-07-01T08:00:00.000Z');
    await entry(103, 'redeem', -14, 16, '2025-08-01T08:00:00.000Z');
    await entry(104, 'reverse', -5, 11, '2025-09-01T08:00:00.000Z', 102);
    await db
      .updateTable('balances')
      .set({ points: 11, version: 104 })
      .where('member_id', '=', member.id)
      .execute();

    await migrateToLatest(db, schema);
    const lots = await openLots(db, member.id);
    expect(lots.map((l) => [l.id, l.points, l.left, l.expiresAt])).toEqual([
      [102, 20, 11, '2026-07-01T08:00:00.000Z'],
    ]);
    const uses = await db.selectFrom('lot_uses').selectAll().orderBy('entry_id').orderBy('lot_id').execute();
    expect(uses.map((u) => [Number(u.entry_id), Number(u.lot_id), u.points])).toEqual([
      [103, 101, 10],
      [103, 102, 4],
      [104, 102, 5],
    ]);
    // The rebuilt table still refuses edits and accepts the new kind.
    await expect(sql`update ledger_entries set points = 0`.execute(db)).rejects.toThrow(/append-only/);
    await expectBooksAgree(merchant, member.id);
  });
});

describe.each(DIALECTS)('migration 0004 over a ledger written before it (%s)', (dialect) => {
  it('keeps every entry, index and trigger, and the ids go on', async () => {
    const store = createTestStore(dialect);
    const c = store.config;
    const handle = openDatabase({
      databaseUrl: c.databaseUrl ?? '',
      dataDir: store.dataDir,
      ...(c.databaseSchema ? { schema: c.databaseSchema } : {}),
    });
    const { db } = handle;
    const schema = c.databaseSchema || undefined;
    try {
      await migrateTo(db, '0002-spent-one-time-keys', schema);
      await sql`insert into members (id, email, phone, password_hash, display_name, membership_code, created_at)
        values (1, 'old@example.com', null, 'x', 'Old', '2900000000001', '2025-01-01T00:00:00.000Z')`.execute(
        db,
      );
      await sql`insert into balances (member_id, points, lifetime_points, version, updated_at)
        values (1, 7, 7, 2, '2025-01-01T00:00:00.000Z')`.execute(db);
      for (const [kind, points, balance] of [
        ['accrue', 10, 10],
        ['redeem', -3, 7],
      ] as const) {
        await sql`insert into ledger_entries (member_id, kind, points, amount, currency, order_id,
            idempotency_key, fingerprint, reverses_entry_id, balance_after, source, operator_id, created_at)
          values (1, ${kind}, ${points}, ${kind === 'accrue' ? 1000 : null}, 'TWD', ${`O-${kind}`},
            ${`${kind}:O-${kind}`}, 'f', null, ${balance}, 'membership_code', null, '2025-05-05T00:00:00.000Z')`.execute(
          db,
        );
      }
      await migrateToLatest(db, schema);
      const rows = await db
        .selectFrom('ledger_entries')
        .select(['id', 'kind', 'points'])
        .orderBy('id')
        .execute();
      expect(rows.map((r) => [Number(r.id), r.kind, r.points])).toEqual([
        [1, 'accrue', 10],
        [2, 'redeem', -3],
      ]);
      // The backfill: the sale is a lot, the redemption took 3 of it.
      expect((await openLots(db, 1)).map((l) => [l.id, l.left])).toEqual([[1, 7]]);
      const next = await db
        .insertInto('ledger_entries')
        .values({
          member_id: 1,
          kind: 'expire',
          points: -7,
          amount: null,
          currency: null,
          order_id: 'O-accrue',
          idempotency_key: 'expire:1',
          fingerprint: 'f',
          reverses_entry_id: 1,
          balance_after: 0,
          source: 'order',
          operator_id: null,
          created_at: '2026-05-05T00:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(Number(next.id)).toBe(3);
      await expect(sql`delete from ledger_entries`.execute(db)).rejects.toThrow(/append-only/);
      await expect(
        sql`insert into ledger_entries (member_id, kind, points, order_id, idempotency_key, fingerprint,
          balance_after, source, created_at) values (1, 'bonus', 1, 'X', 'bonus:X', 'f', 1, 'order', 'now')`.execute(
          db,
        ),
      ).rejects.toThrow();
      await expect(
        sql`insert into ledger_entries (member_id, kind, points, order_id, idempotency_key, fingerprint,
          balance_after, source, created_at) values (1, 'accrue', 1, 'X', 'expire:1', 'f', 1, 'order', 'now')`.execute(
          db,
        ),
      ).rejects.toThrow(); // the idempotency key is still unique
      if (dialect === 'sqlite') {
        const indexes = await sql<{ name: string }>`
          select name from sqlite_master where type = 'index' and tbl_name = 'ledger_entries' and sql is not null
          order by name`.execute(db);
        expect(indexes.rows.map((r) => r.name)).toEqual(
          expect.arrayContaining(['ledger_member', 'ledger_reverses']),
        );
      }
    } finally {
      await handle.close();
      await store.destroy();
    }
  });
});
