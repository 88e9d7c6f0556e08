import { describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import {
  addMember,
  balanceOf,
  DIALECTS,
  entryCount,
  posClient,
  usePosMerchant,
} from '../support/merchant-harness.js';

describe.each(DIALECTS)('POS refunds and codes as typed (issue 11 items 3–4) on %s', (dialect) => {
  const t = usePosMerchant(dialect);

  it('refunds a sale in several partial refunds, each with its own refund id, until it is used up', async () => {
    const member = await addMember(t.merchant, 'refunds@example.com');
    const code = member.membership_code;
    const sale = await t.pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'S-1' });
    expect(sale.body.balance).toBe(10);

    // Two different partial amounts right after the sale: two refunds, no idempotency_conflict.
    const r1 = await t.pos.post('refund', { orderId: 'S-1', refundId: 'R-1', amount: 300 });
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({
      refundId: 'R-1',
      entry: { kind: 'reverse', orderId: 'S-1', points: -3 },
    });
    expect(r1.body.order).toEqual({ amount: 1000, refundedAmount: 300, remainingAmount: 700 });
    const r2 = await t.pos.post('refund', { orderId: 'S-1', refundId: 'R-2', amount: 200 });
    expect(r2.status).toBe(201);
    expect(r2.body.order.remainingAmount).toBe(500);
    // The same refund again (a lost answer, a double click): the same answer, nothing new.
    const before = await entryCount(t.merchant, member.id);
    const replay = await t.pos.post('refund', { orderId: 'S-1', refundId: 'R-2', amount: 200 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(r2.body);
    expect(await entryCount(t.merchant, member.id)).toBe(before);
    // The rest, then nothing is left.
    const rest = await t.pos.post('refund', { orderId: 'S-1', refundId: 'R-3' });
    expect(rest.body.order).toEqual({ amount: 1000, refundedAmount: 1000, remainingAmount: 0 });
    expect(await balanceOf(t.merchant, member.id)).toBe(0);
    const over = await t.pos.post('refund', { orderId: 'S-1', refundId: 'R-4', amount: 1 });
    expect([over.status, over.body.error.code]).toEqual([409, 'over_reversal']);
  });

  it("lists the operator's last sales with what is left to refund, masked, and only to an operator", async () => {
    const member = await addMember(t.merchant, 'sales@example.com');
    const other = await posClient(t.merchant, `other-till-${dialect}`);
    await t.pos.post('accrue', {
      code: member.membership_code,
      amount: 500,
      currency: 'TWD',
      orderId: 'L-1',
    });
    await t.pos.post('accrue', {
      code: member.membership_code,
      amount: 800,
      currency: 'TWD',
      orderId: 'L-2',
    });
    await other.post('accrue', {
      code: member.membership_code,
      amount: 900,
      currency: 'TWD',
      orderId: 'L-3',
    });
    await t.pos.post('refund', { orderId: 'L-2', refundId: 'R-L2', amount: 100 });
    const res = await t.merchant.app.inject({
      method: 'GET',
      url: '/api/pos/sales',
      headers: { cookie: t.pos.jar.header() },
    });
    expect(res.statusCode).toBe(200);
    const sales = res.json().sales as Array<Record<string, any>>;
    expect(sales.slice(0, 2).map((s) => [s.orderId, s.amount, s.refundedAmount, s.remainingAmount])).toEqual([
      ['L-2', 800, 100, 700],
      ['L-1', 500, 0, 500],
    ]);
    expect(sales.map((s) => s.orderId)).not.toContain('L-3');
    expect(defined(sales[0]).member.membershipCode).toBe(`*********${member.membership_code.slice(-4)}`);
    const anon = await t.merchant.app.inject({ method: 'GET', url: '/api/pos/sales' });
    expect([anon.statusCode, anon.json().error.code]).toEqual([401, 'unauthorized']);
  });

  it('takes codes as the wallet prints them: spaces and dashes removed, the same sale never twice', async () => {
    const member = await addMember(t.merchant, 'spaced@example.com');
    const code = member.membership_code;
    const spaced = `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8, 12)} ${code.slice(12)}`;
    const res = await t.pos.post('accrue', { code: spaced, amount: 700, currency: 'TWD', orderId: 'SP-1' });
    expect(res.status).toBe(201);
    expect(res.body.balance).toBe(7);
    const dashed = `${code.slice(0, 6)}-${code.slice(6)}`;
    // The same sale typed the other way is the same request: replayed, not credited again.
    const again = await t.pos.post('accrue', {
      code: ` ${dashed} `,
      amount: 700,
      currency: 'TWD',
      orderId: 'SP-1',
    });
    expect([again.status, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(await balanceOf(t.merchant, member.id)).toBe(7);
  });
});
