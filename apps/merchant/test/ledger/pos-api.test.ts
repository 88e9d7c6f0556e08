import { describe, expect, it } from 'vitest';
import { addMember, balanceOf, DIALECTS, usePosMerchant } from '../support/merchant-harness.js';

describe.each(DIALECTS)('POS API and ledger (%s)', (dialect) => {
  const t = usePosMerchant(dialect);

  it('accrues, redeems and reverses partly and fully with exact balances', async () => {
    const member = await addMember(t.merchant, 'flow@example.com');
    const code = member.membership_code;

    const a1 = await t.pos.post('accrue', { code, amount: 1050, currency: 'TWD', orderId: 'F-1' });
    expect(a1.status).toBe(201);
    expect(a1.body.entry).toMatchObject({ kind: 'accrue', points: 10, amount: 1050, orderId: 'F-1' });
    expect(a1.body.balance).toBe(10);
    expect(a1.body.member.membershipCode).toBe(`*********${code.slice(-4)}`);

    const a2 = await t.pos.post('accrue', { code, amount: 2000, currency: 'TWD', orderId: 'F-2' });
    expect(a2.body.balance).toBe(30);

    const r = await t.pos.post('redeem', { code, points: 5, orderId: 'F-3' });
    expect(r.status).toBe(201);
    expect(r.body.entry.points).toBe(-5);
    expect(r.body.balance).toBe(25);

    // Refund 550 of 1050: what is left (500) earns 5, so 5 of the 10 points go back.
    const p1 = await t.pos.post('reverse', { orderId: 'F-1', amount: 550, refundId: 'R1' });
    expect(p1.status).toBe(201);
    expect(p1.body.entry.points).toBe(-5);
    expect(p1.body.balance).toBe(20);
    expect(p1.body.order).toEqual({ amount: 1050, refundedAmount: 550, remainingAmount: 500 });

    // The rest of the order (no amount = everything left) is due the other 5 points, but the
    // redemption took them (oldest lot first): nothing is left of this sale's points, so none are
    // taken back, and the answer says so.
    const p2 = await t.pos.post('reverse', { orderId: 'F-1', refundId: 'R2' });
    expect(p2.status).toBe(201);
    expect(p2.body.entry.points).toBe(0);
    expect(p2.body.pointsNotTakenBack).toBe(5);
    expect(p2.body.balance).toBe(20);
    expect(p2.body.order).toEqual({ amount: 1050, refundedAmount: 1050, remainingAmount: 0 });

    // The second order's lot is whole: its full reversal takes back all 20.
    const full = await t.pos.post('reverse', { orderId: 'F-2' });
    expect(full.status).toBe(201);
    expect(full.body.entry).toMatchObject({ kind: 'reverse', points: -20, amount: 2000 });
    expect(full.body.pointsNotTakenBack).toBe(0);
    expect(full.body.balance).toBe(0);
    expect(await balanceOf(t.merchant, member.id)).toBe(0);

    // Nothing left to reverse.
    const again = await t.pos.post('reverse', { orderId: 'F-2', refundId: 'R9' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('over_reversal');
  });
});
