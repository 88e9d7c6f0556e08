import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { expireDueLots } from '../../src/jobs/expiry-job.js';
import { accrue } from '../../src/ledger/accrue.js';
import { openLots, soonestExpiry } from '../../src/ledger/lots.js';
import { redeem } from '../../src/ledger/redeem.js';
import { reverse } from '../../src/ledger/reverse.js';
import { qualifyingSpend, tierFor } from '../../src/ledger/tiers.js';
import {
  addMember,
  buildMerchant,
  createTestStore,
  DIALECTS,
  type TestStore,
} from '../support/merchant-harness.js';

const TIERS = [
  { name: 'Member', minSpend: 0 },
  { name: 'Silver', minSpend: 10_000 },
  { name: 'Gold', minSpend: 50_000 },
];

/** A small deterministic generator (mulberry32): the same sequence on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The running aggregates the balance row keeps (the soonest expiry, the tier's rolling spend) are
 * updated by what each sale adds; refunds, redemptions and expiries recompute them. Over a long
 * mixed history — sales leaving the window between two sales, refunds of sales in and out of it,
 * FIFO redemptions, expiries — they must equal, after every entry, what the entries and lots say.
 */
describe.each(DIALECTS)('kept ledger aggregates stay exact (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  let now = new Date('2026-01-10T10:00:00.000Z');
  beforeAll(async () => {
    store = createTestStore(dialect, {
      tiers: { windowMonths: 3, levels: TIERS },
      points: { expiryMonths: 2 },
    });
    merchant = await buildMerchant(store, { now: () => now });
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  async function expectExact(memberId: number): Promise<void> {
    const { db } = merchant.context;
    const kept = await db
      .selectFrom('balances')
      .select(['expiry_at', 'expiry_points', 'tier', 'tier_since', 'tier_spend'])
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow();
    const expiry = soonestExpiry(await openLots(db, memberId));
    expect([kept.expiry_at, kept.expiry_points]).toEqual([expiry.pointsExpireAt, expiry.expiringPoints ?? 0]);
    expect(kept.tier_since).not.toBeNull();
    const spend = await qualifyingSpend(db, memberId, kept.tier_since ?? '');
    expect(Math.max(0, Number(kept.tier_spend))).toBe(spend);
    const stored = await db
      .selectFrom('member_tiers')
      .select(['tier', 'spend'])
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ tier: tierFor(spend, TIERS) ?? null, spend });
    expect(kept.tier).toBe(stored.tier);
  }

  it('after every entry of a long mixed history', async () => {
    const ctx = merchant.context;
    const member = await addMember(merchant, 'kept@example.com');
    const code = member.membership_code;
    const next = random(dialect === 'sqlite' ? 7 : 11);
    const sales: { orderId: string; amount: number; refunded: number }[] = [];
    let n = 0;
    /** Sales that left the window at a sale (the kept spend dropped them, not a recomputation). */
    let leftAtSale = 0;
    const sinceOf = async () =>
      (
        await ctx.db
          .selectFrom('balances')
          .select('tier_since')
          .where('member_id', '=', member.id)
          .executeTakeFirstOrThrow()
      ).tier_since;
    for (let step = 0; step < 120; step++) {
      // Mostly hours apart, sometimes weeks (sales leave the 3-month window between two sales),
      // sometimes at the same instant (two lots expiring at once).
      const gap = next();
      now = new Date(
        now.getTime() + (gap < 0.15 ? 0 : gap < 0.35 ? next() * 40 * 86_400_000 : next() * 20 * 3_600_000),
      );
      const roll = next();
      const orderId = `K-${++n}`;
      if (roll < 0.65 || sales.length === 0) {
        const amount = 100 + Math.floor(next() * 9_000);
        const before = await sinceOf();
        await accrue(ctx, { code, amount, currency: 'TWD', orderId }, null);
        sales.push({ orderId, amount, refunded: 0 });
        const after = await sinceOf();
        if (before !== null && after !== null) {
          const left = await ctx.db
            .selectFrom('ledger_entries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('member_id', '=', member.id)
            .where('kind', '=', 'accrue')
            .where('created_at', '>=', before)
            .where('created_at', '<', after)
            .executeTakeFirstOrThrow();
          leftAtSale += Number(left.n);
        }
      } else if (roll < 0.8) {
        const sale = sales[Math.floor(next() * sales.length)];
        if (!sale || sale.refunded >= sale.amount) continue;
        const amount = Math.min(sale.amount - sale.refunded, 1 + Math.floor(next() * sale.amount));
        await reverse(ctx, { orderId: sale.orderId, refundId: `R-${n}`, amount }, null);
        sale.refunded += amount;
      } else if (roll < 0.92) {
        const balance = await ctx.db
          .selectFrom('balances')
          .select('points')
          .where('member_id', '=', member.id)
          .executeTakeFirstOrThrow();
        if (balance.points < 2) continue;
        await redeem(ctx, { code, points: 1 + Math.floor(next() * (balance.points - 1)), orderId }, null);
      } else {
        await expireDueLots(ctx);
      }
      await expectExact(member.id);
    }
    // The history did make sales leave the window at later sales.
    expect(leftAtSale).toBeGreaterThan(5);
  });

  it('two sales at one instant: one soonest expiry with both lots', async () => {
    const ctx = merchant.context;
    const member = await addMember(merchant, 'twins@example.com');
    const code = member.membership_code;
    await accrue(ctx, { code, amount: 1_000, currency: 'TWD', orderId: 'T-1' }, null);
    await accrue(ctx, { code, amount: 2_000, currency: 'TWD', orderId: 'T-2' }, null);
    await expectExact(member.id);
    const kept = await ctx.db
      .selectFrom('balances')
      .select('expiry_points')
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(kept.expiry_points).toBe(30);
  });

  it("a member with a card: each sale's outbox row carries the entry's version, balance, tier and expiry", async () => {
    const ctx = merchant.context;
    const member = await addMember(merchant, 'carded@example.com');
    const code = member.membership_code;
    const at = now.toISOString();
    await ctx.db
      .insertInto('wallet_links')
      .values({
        binding_id: 'bind-kept',
        member_id: member.id,
        subject: 'sub-kept',
        state: 'active',
        created_at: at,
        updated_at: at,
        unbound_reason: null,
      })
      .execute();
    // Sales that keep the tier (written in one statement on PostgreSQL) and sales that change it.
    for (const [i, amount] of [4_000, 1_000, 7_000, 1_000, 45_000, 500].entries()) {
      now = new Date(now.getTime() + 3_600_000);
      const { result } = await accrue(ctx, { code, amount, currency: 'TWD', orderId: `C-${i}` }, null);
      const row = await ctx.db
        .selectFrom('profile_outbox')
        .selectAll()
        .where('member_id', '=', member.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const expiry = soonestExpiry(await openLots(ctx.db, member.id));
      const tier = await ctx.db
        .selectFrom('member_tiers')
        .select('tier')
        .where('member_id', '=', member.id)
        .executeTakeFirstOrThrow();
      expect([row.binding_id, Number(row.version), row.points, row.level, row.state]).toEqual([
        'bind-kept',
        result.entry.id,
        result.balance,
        tier.tier,
        'pending',
      ]);
      expect([row.points_expire_at, row.expiring_points]).toEqual([
        expiry.pointsExpireAt,
        expiry.expiringPoints,
      ]);
      await expectExact(member.id);
    }
    // Member → Silver → Gold: the tier changes were news for the card (a message each).
    const messages = await ctx.db
      .selectFrom('message_outbox')
      .select('message_id')
      .where('member_id', '=', member.id)
      .execute();
    expect(messages).toHaveLength(2);
  });

  it('race: 24 sales of one member at once: each once, ids in the order of the balances they left', async () => {
    const ctx = merchant.context;
    const member = await addMember(merchant, 'race@example.com');
    const code = member.membership_code;
    await accrue(ctx, { code, amount: 100, currency: 'TWD', orderId: 'RC-0' }, null);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        accrue(ctx, { code, amount: 100 * (i + 1), currency: 'TWD', orderId: `RC-${i + 1}` }, null),
      ),
    );
    expect(results.every((r) => !r.replayed)).toBe(true);
    const entries = await ctx.db
      .selectFrom('ledger_entries')
      .select(['id', 'points', 'balance_after'])
      .where('member_id', '=', member.id)
      .orderBy('id')
      .execute();
    expect(entries).toHaveLength(25);
    // In id order each entry's balance is the one before plus its points: ids follow the commits.
    let running = 0;
    for (const e of entries) {
      running += e.points;
      expect(e.balance_after).toBe(running);
    }
    const balance = await ctx.db
      .selectFrom('balances')
      .select(['points', 'version'])
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect([balance.points, Number(balance.version)]).toEqual([running, Number(entries.at(-1)?.id)]);
    await expectExact(member.id);
  });

  it('aggregates not known yet (a ledger from before them) are computed by the next entry', async () => {
    const ctx = merchant.context;
    const member = await addMember(merchant, 'unknown@example.com');
    const code = member.membership_code;
    await accrue(ctx, { code, amount: 6_000, currency: 'TWD', orderId: 'U-1' }, null);
    now = new Date(now.getTime() + 86_400_000);
    await accrue(ctx, { code, amount: 5_000, currency: 'TWD', orderId: 'U-2' }, null);
    // As migration 0006 leaves an existing balance row: nothing kept.
    await ctx.db
      .updateTable('balances')
      .set({ expiry_at: null, expiry_points: null, tier: null, tier_since: null, tier_spend: null })
      .where('member_id', '=', member.id)
      .execute();
    now = new Date(now.getTime() + 86_400_000);
    await accrue(ctx, { code, amount: 1_000, currency: 'TWD', orderId: 'U-3' }, null);
    await expectExact(member.id);
    const tier = await ctx.db
      .selectFrom('member_tiers')
      .select(['tier', 'spend'])
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(tier).toEqual({ tier: 'Silver', spend: 12_000 });
  });
});
