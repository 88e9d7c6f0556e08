import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { openLots } from '../../src/ledger/lots.js';
import { addMember, concurrencyTitle, DIALECTS, usePosMerchant } from '../support/merchant-harness.js';

/** A small seeded PRNG (mulberry32): the workload is random but the same on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(DIALECTS)('ledger: balances are derivable from the entries (%s)', (dialect) => {
  const t = usePosMerchant(dialect);

  it(
    concurrencyTitle(
      dialect,
      'after a random concurrent workload, every balance equals the sum of its entries',
    ),
    async () => {
      const random = prng(20240601);
      const pick = <T>(list: readonly T[]) => defined(list[Math.floor(random() * list.length)]);
      const members: Array<Awaited<ReturnType<typeof addMember>>> = [];
      for (let i = 0; i < 6; i++) members.push(await addMember(t.merchant, `inv${i}@example.com`));
      const accrued: string[] = [];
      let n = 0;
      for (let batch = 0; batch < 12; batch++) {
        const requests = Array.from({ length: 15 }, () => {
          const member = pick(members);
          const roll = random();
          n++;
          if (roll < 0.5 || accrued.length === 0) {
            const orderId = `I-${n}`;
            accrued.push(orderId);
            return t.pos.post('accrue', {
              code: member.membership_code,
              amount: 1 + Math.floor(random() * 5000),
              currency: 'TWD',
              orderId,
            });
          }
          if (roll < 0.75) {
            return t.pos.post('redeem', {
              code: member.membership_code,
              points: 1 + Math.floor(random() * 30),
              orderId: `D-${n}`,
            });
          }
          const order = pick(accrued);
          const partial = random() < 0.6;
          return t.pos.post('reverse', {
            orderId: order,
            refundId: `f${n}`,
            ...(partial ? { amount: 1 + Math.floor(random() * 1500) } : {}),
          });
        });
        const results = await Promise.all(requests);
        for (const r of results) expect([201, 404, 409]).toContain(r.status); // 404: a refund raced its order
      }

      const { db } = t.merchant.context;
      const sums = await db
        .selectFrom('ledger_entries')
        .select([
          'member_id',
          sql<number>`sum(points)`.as('points'),
          sql<number>`sum(case when kind = 'redeem' then 0 else points end)`.as('lifetime'),
          sql<number>`max(id)`.as('last'),
        ])
        .groupBy('member_id')
        .execute();
      const balances = await db.selectFrom('balances').selectAll().execute();
      for (const b of balances) {
        const s = sums.find((x) => Number(x.member_id) === Number(b.member_id));
        expect({
          member: b.member_id,
          points: b.points,
          lifetime: b.lifetime_points,
          version: b.version,
        }).toEqual({
          member: b.member_id,
          points: Number(s?.points ?? 0),
          lifetime: Number(s?.lifetime ?? 0),
          version: Number(s?.last ?? 0),
        });
      }
      // What is left of each member's lots adds up to the balance (FIFO redemptions, reversals
      // from their own sale's lot, all under the same lock).
      for (const b of balances) {
        const lots = await openLots(db, Number(b.member_id));
        expect(lots.reduce((x, l) => x + l.left, 0)).toBe(b.points);
      }
      // Every entry's balance_after is the running sum of its member's entries, never below zero.
      const entries = await db.selectFrom('ledger_entries').selectAll().orderBy('id').execute();
      const running = new Map<number, number>();
      for (const e of entries) {
        const next = (running.get(e.member_id) ?? 0) + e.points;
        running.set(e.member_id, next);
        expect(e.balance_after).toBe(next);
        expect(next).toBeGreaterThanOrEqual(0);
      }
      // No order is refunded beyond its amount, nor more points taken back than it earned.
      for (const a of entries.filter((e) => e.kind === 'accrue')) {
        const refunds = entries.filter((e) => e.reverses_entry_id === a.id);
        expect(refunds.reduce((x, e) => x + (e.amount ?? 0), 0)).toBeLessThanOrEqual(defined(a.amount));
        expect(refunds.reduce((x, e) => x - e.points, 0)).toBeLessThanOrEqual(a.points);
      }
      expect(entries.length).toBeGreaterThan(60);
    },
  );
});
