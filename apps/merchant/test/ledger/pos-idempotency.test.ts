import { describe, expect, it } from 'vitest';
import {
  addMember,
  balanceOf,
  concurrencyTitle,
  DIALECTS,
  entryCount,
  usePosMerchant,
} from '../support/merchant-harness.js';

describe.each(DIALECTS)('POS idempotency and concurrency (%s)', (dialect) => {
  const t = usePosMerchant(dialect);

  it('answers the same order id + payload with the original result, and 409 for another payload', async () => {
    const member = await addMember(t.merchant, 'same@example.com');
    const body = { code: member.membership_code, amount: 1234, currency: 'TWD', orderId: 'I-1' };
    const first = await t.pos.post('accrue', body);
    const second = await t.pos.post('accrue', body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await entryCount(t.merchant, member.id)).toBe(1);

    // Another accrual moves the balance; the replay still answers the balance of its own moment.
    await t.pos.post('accrue', { ...body, orderId: 'I-2' });
    expect((await t.pos.post('accrue', body)).body.balance).toBe(12);

    const other = await t.pos.post('accrue', { ...body, amount: 999 });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
    expect(await entryCount(t.merchant, member.id)).toBe(2);
    expect(await balanceOf(t.merchant, member.id)).toBe(24);

    // Redeem and reverse are idempotent too.
    const redeem = { code: member.membership_code, points: 4, orderId: 'I-3' };
    expect((await t.pos.post('redeem', redeem)).body.balance).toBe(20);
    expect((await t.pos.post('redeem', redeem)).body.balance).toBe(20);
    expect((await t.pos.post('redeem', { ...redeem, points: 5 })).status).toBe(409);
    const refund = { orderId: 'I-1', amount: 234, refundId: 'RF-1' };
    const r1 = await t.pos.post('reverse', refund);
    const r2 = await t.pos.post('reverse', refund);
    expect(r2.body).toEqual(r1.body);
    expect(r1.body.entry.points).toBe(-2);
    expect(await balanceOf(t.merchant, member.id)).toBe(18);
    expect(await entryCount(t.merchant, member.id)).toBe(4);
  });

  it(concurrencyTitle(dialect, 'the exact sum under 200 concurrent accruals on one member'), async () => {
    const member = await addMember(t.merchant, 'busy@example.com');
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.pos.post('accrue', {
          code: member.membership_code,
          amount: 100 * ((i % 7) + 1),
          currency: 'TWD',
          orderId: `C-${i}`,
        }),
      ),
    );
    const ms = performance.now() - started;
    expect(results.every((r) => r.status === 201)).toBe(true);
    const expected = Array.from({ length: 200 }, (_, i) => (i % 7) + 1).reduce((a, b) => a + b, 0);
    expect(await balanceOf(t.merchant, member.id)).toBe(expected);
    expect(await entryCount(t.merchant, member.id)).toBe(200);
    // Every entry's balance_after is distinct and the last equals the balance: a serial history.
    const afters = results.map((r) => r.body.balance as number).sort((a, b) => a - b);
    expect(new Set(afters).size).toBe(200);
    expect(afters.at(-1)).toBe(expected);
    console.info(
      `[${dialect}] 200 concurrent durable accruals: ${ms.toFixed(0)} ms (${((200 / ms) * 1000).toFixed(0)}/s)`,
    );
  });

  it(concurrencyTitle(dialect, 'only one of 20 concurrent identical requests writes'), async () => {
    const member = await addMember(t.merchant, 'race@example.com');
    const body = { code: member.membership_code, amount: 500, currency: 'TWD', orderId: 'RACE-1' };
    const results = await Promise.all(Array.from({ length: 20 }, () => t.pos.post('accrue', body)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.entry.id)).size).toBe(1);
    expect(await entryCount(t.merchant, member.id)).toBe(1);
    expect(await balanceOf(t.merchant, member.id)).toBe(5);
  });
});
