import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, balanceOf, DIALECTS, entryCount, usePosMerchant } from '../support/merchant-harness.js';

describe.each(DIALECTS)('POS API refusals store nothing (%s)', (dialect) => {
  const t = usePosMerchant(dialect);
  let code: string;
  let memberId: number;

  beforeAll(async () => {
    const member = await addMember(t.merchant, 'errors@example.com');
    code = member.membership_code;
    memberId = member.id;
    await t.pos.post('accrue', { code, amount: 500, currency: 'TWD', orderId: 'SEED-1' });
  });

  const accrue = (over: Record<string, unknown>) => ({
    code,
    amount: 100,
    currency: 'TWD',
    orderId: 'E-1',
    ...over,
  });
  const cases: Array<[string, string, () => Record<string, unknown>, number, string]> = [
    ['zero amount', 'accrue', () => accrue({ amount: 0 }), 400, 'amount_invalid'],
    ['negative amount', 'accrue', () => accrue({ amount: -100 }), 400, 'amount_invalid'],
    ['fractional amount', 'accrue', () => accrue({ amount: 10.5 }), 400, 'amount_invalid'],
    ['huge amount', 'accrue', () => accrue({ amount: 1e30 }), 400, 'amount_too_large'],
    ['amount over the limit', 'accrue', () => accrue({ amount: 10_000_001 }), 400, 'amount_too_large'],
    ['amount as a string', 'accrue', () => accrue({ amount: '100' }), 400, 'invalid_request'],
    ['unknown field', 'accrue', () => accrue({ extra: 1 }), 400, 'invalid_request'],
    ['other currency', 'accrue', () => accrue({ currency: 'JPY' }), 400, 'currency_not_accepted'],
    ['bad order id', 'accrue', () => accrue({ orderId: 'no spaces' }), 400, 'order_id_invalid'],
    ['unknown membership code', 'accrue', () => accrue({ code: '2900000000001' }), 404, 'unknown_code'],
    [
      'code with a wrong check digit (a typo, told apart from an unknown member)',
      'accrue',
      () => accrue({ code: `${code.slice(0, 12)}${(Number(code[12]) + 1) % 10}` }),
      400,
      'code_check_digit',
    ],
    [
      'spaced code with a wrong check digit',
      'accrue',
      () => accrue({ code: `${code.slice(0, 4)} ${code.slice(4, 12)} ${(Number(code[12]) + 1) % 10}` }),
      400,
      'code_check_digit',
    ],
    [
      'refund without a refund id',
      'refund',
      () => ({ orderId: 'SEED-1', amount: 100 }),
      400,
      'invalid_request',
    ],
    [
      'refund of an unknown sale',
      'refund',
      () => ({ orderId: 'NOPE', refundId: 'R-1' }),
      404,
      'order_not_found',
    ],
    ['garbage code', 'accrue', () => accrue({ code: 'hello' }), 404, 'unknown_code'],
    ['zero points', 'redeem', () => ({ code, points: 0, orderId: 'E-2' }), 400, 'points_invalid'],
    ['negative points', 'redeem', () => ({ code, points: -3, orderId: 'E-2' }), 400, 'points_invalid'],
    ['fractional points', 'redeem', () => ({ code, points: 1.5, orderId: 'E-2' }), 400, 'points_invalid'],
    ['huge points', 'redeem', () => ({ code, points: 1e12, orderId: 'E-2' }), 400, 'points_too_large'],
    [
      'insufficient points',
      'redeem',
      () => ({ code, points: 6, orderId: 'E-2' }),
      409,
      'insufficient_points',
    ],
    ['reverse of an unknown order', 'reverse', () => ({ orderId: 'NOPE' }), 404, 'order_not_found'],
    ['over-reversal', 'reverse', () => ({ orderId: 'SEED-1', amount: 501 }), 409, 'over_reversal'],
    ['zero reversal', 'reverse', () => ({ orderId: 'SEED-1', amount: 0 }), 400, 'amount_invalid'],
  ];

  it.each(cases)('%s → %s error, no ledger entry', async (_name, path, body, status, errorCode) => {
    const before = await entryCount(t.merchant);
    const res = await t.pos.post(path, body());
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code: errorCode, message: expect.any(String) } });
    expect(await entryCount(t.merchant)).toBe(before);
    expect(await balanceOf(t.merchant, memberId)).toBe(5);
  });

  it('refuses calls without an operator session, CSRF token or JSON body', async () => {
    const body = JSON.stringify(accrue({ orderId: 'E-9' }));
    const anon = await t.merchant.app.inject({
      method: 'POST',
      url: '/api/pos/accrue',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('unauthorized');
    const noCsrf = await t.merchant.app.inject({
      method: 'POST',
      url: '/api/pos/accrue',
      headers: { 'content-type': 'application/json', cookie: t.pos.jar.header() },
      payload: body,
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const form = await t.merchant.app.inject({
      method: 'POST',
      url: '/api/pos/accrue',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: t.pos.jar.header(),
        'x-csrf-token': t.pos.csrf,
      },
      payload: 'code=1&amount=1',
    });
    expect(form.statusCode).toBe(415);
    const badJson = await t.merchant.app.inject({
      method: 'POST',
      url: '/api/pos/accrue',
      headers: { 'content-type': 'application/json', cookie: t.pos.jar.header(), 'x-csrf-token': t.pos.csrf },
      payload: '{"code":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('invalid_request');
    const wrongLogin = await t.merchant.app.inject({
      method: 'POST',
      url: '/api/pos/session',
      payload: { username: 'till1', password: 'wrong-password' },
    });
    expect(wrongLogin.statusCode).toBe(401);
    expect(wrongLogin.json().error.code).toBe('login_failed');
    expect(await entryCount(t.merchant)).toBe(1);
  });
});
