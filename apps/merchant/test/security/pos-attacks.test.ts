import { MyCardApiError } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
import type { PlatformPort } from '../../src/platform/platform-port.js';
import { injectBrowser } from '../support/browser.js';
import {
  addMember,
  balanceOf,
  buildMerchant,
  concurrencyTitle,
  createTestStore,
  DIALECTS,
  entryCount,
  type PosClient,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

const KEY = '123456789012345678';

/** A platform whose one-time key resolves once (the platform's guarantee), to `code()`. */
function oneTimeKeyPlatform(code: () => string): PlatformPort {
  let spent = false;
  const unused = async (): Promise<never> => {
    throw new Error('unused');
  };
  return {
    channelId: '1234567890',
    verifyBindingRequest: unused,
    getBinding: unused,
    apply: unused,
    unbind: async () => undefined,
    updateProfile: async () => undefined,
    verifyWebhook: unused,
    sendMessage: async () => {
      throw new Error('unused');
    },
    resolveOneTimeKey: async (key) => {
      await new Promise((r) => setTimeout(r, 5));
      if (key !== KEY || spent) throw new MyCardApiError({ returnCode: '3010', status: 404 });
      spent = true;
      return { bindingId: 'bnd_x', membershipCode: code() };
    },
  };
}

describe.each(DIALECTS)('POS API under attack (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  let pos: PosClient;
  let code = '';

  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(store, { platform: oneTimeKeyPlatform(() => code) });
    pos = await posClient(merchant);
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  const newMember = async (name: string) => {
    const m = await addMember(merchant, `${name}-${dialect}@example.com`);
    return m;
  };

  it('refuses a member session on every POS route, and a member cookie copied into the till cookie', async () => {
    const browser = injectBrowser(merchant.app);
    await browser.get('/signup');
    const signup = await browser.post('/signup', {
      displayName: 'Mallory',
      login: `mallory-${dialect}@example.com`,
      password: 'mallory-secret-1',
    });
    expect(signup.statusCode).toBe(303);
    const memberCookie = defined(browser.jar.get('merchant_session'));
    expect(memberCookie).toBeTruthy();
    for (const path of ['accrue', 'redeem', 'reverse']) {
      for (const cookie of [browser.jar.header(), `merchant_pos=${memberCookie}; ${browser.jar.header()}`]) {
        const res = await merchant.app.inject({
          method: 'POST',
          url: `/api/pos/${path}`,
          headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': browser.csrf },
          payload: JSON.stringify({ code: 'x', amount: 100, currency: 'TWD', orderId: 'M-1', points: 1 }),
        });
        expect(res.statusCode, `${path} with ${cookie.slice(0, 20)}`).toBe(401);
      }
    }
    const till = await merchant.app.inject({
      method: 'GET',
      url: '/pos',
      headers: { cookie: `merchant_pos=${memberCookie}` },
    });
    expect(till.body).not.toContain('id="till"');
  });

  it('gives amounts and order ids in every odd shape their own error, storing nothing', async () => {
    const m = await newMember('shapes');
    const base = { code: m.membership_code, currency: 'TWD', orderId: 'S-1', amount: 100 };
    const raw = (body: string) =>
      merchant.app.inject({
        method: 'POST',
        url: '/api/pos/accrue',
        headers: { cookie: pos.jar.header(), 'x-csrf-token': pos.csrf, 'content-type': 'application/json' },
        payload: body,
      });
    const before = await entryCount(merchant);
    const cases: Array<[string, string, number, string]> = [
      ['string exponent', JSON.stringify({ ...base, amount: '1e3' }), 400, 'invalid_request'],
      ['negative zero', JSON.stringify(base).replace('"amount":100', '"amount":-0'), 400, 'amount_invalid'],
      [
        'overflowing exponent',
        JSON.stringify(base).replace('"amount":100', '"amount":1e400'),
        400,
        'invalid_request',
      ],
      ['beyond 2^53', JSON.stringify({ ...base, amount: 2 ** 53 + 2 }), 400, 'amount_too_large'],
      ['null amount', JSON.stringify({ ...base, amount: null }), 400, 'invalid_request'],
      ['boolean amount', JSON.stringify({ ...base, amount: true }), 400, 'invalid_request'],
      ['array amount', JSON.stringify({ ...base, amount: [100] }), 400, 'invalid_request'],
      ['lower-case currency', JSON.stringify({ ...base, currency: 'twd' }), 400, 'currency_not_accepted'],
      ['padded currency', JSON.stringify({ ...base, currency: 'TWD ' }), 400, 'invalid_request'],
      ['empty currency', JSON.stringify({ ...base, currency: '' }), 400, 'currency_not_accepted'],
      ['empty order id', JSON.stringify({ ...base, orderId: '' }), 400, 'order_id_invalid'],
      ['65-char order id', JSON.stringify({ ...base, orderId: 'A'.repeat(65) }), 400, 'order_id_invalid'],
      ['full-width order id', JSON.stringify({ ...base, orderId: 'Ａ1' }), 400, 'order_id_invalid'],
      ['order id with a slash', JSON.stringify({ ...base, orderId: 'A/1' }), 400, 'order_id_invalid'],
      ['order id with NUL', JSON.stringify({ ...base, orderId: 'A\u00001' }), 400, 'order_id_invalid'],
      [
        'duplicate keys',
        '{"code":"x","amount":1,"amount":2,"currency":"TWD","orderId":"S-1"}',
        404,
        'unknown_code',
      ],
      [
        'prototype key',
        JSON.stringify({ ...base, __proto__: { a: 1 } }).replace('}', ',"__proto__":{"x":1}}'),
        400,
        'invalid_request',
      ],
    ];
    for (const [name, body, status, errorCode] of cases) {
      const res = await raw(body);
      expect([name, res.statusCode, res.json().error?.code]).toEqual([name, status, errorCode]);
    }
    expect(await entryCount(merchant)).toBe(before);
    // 1e3 in JSON is the number 1000: accepted, and the same request as 1000.
    const exp = await raw(JSON.stringify(base).replace('"amount":100', '"amount":1e3'));
    expect(exp.statusCode).toBe(201);
    const same = await raw(JSON.stringify({ ...base, amount: 1000 }));
    expect(same.statusCode).toBe(201);
    expect(same.headers['idempotent-replayed']).toBe('true');
    expect(await balanceOf(merchant, m.id)).toBe(10);
  });

  it('keeps refunds of orders whose ids contain ":" apart', async () => {
    const m = await newMember('colons');
    const c = m.membership_code;
    expect((await pos.post('accrue', { code: c, amount: 1000, currency: 'TWD', orderId: 'A' })).status).toBe(
      201,
    );
    expect(
      (await pos.post('accrue', { code: c, amount: 1000, currency: 'TWD', orderId: 'A:B' })).status,
    ).toBe(201);
    const first = await pos.post('reverse', { orderId: 'A', refundId: 'B:C', amount: 500 });
    expect(first.status).toBe(201);
    const second = await pos.post('reverse', { orderId: 'A:B', refundId: 'C', amount: 500 });
    expect(second.status).toBe(201);
    expect(second.body.order).toEqual({ amount: 1000, refundedAmount: 500, remainingAmount: 500 });
    expect(await balanceOf(merchant, m.id)).toBe(10);
  });

  it('keeps accrue and redeem of one order id apart, and a reversal touches only that order', async () => {
    const m = await newMember('sameorder');
    const c = m.membership_code;
    expect(
      (await pos.post('accrue', { code: c, amount: 5000, currency: 'TWD', orderId: 'O-1' })).status,
    ).toBe(201);
    expect((await pos.post('redeem', { code: c, points: 20, orderId: 'O-1' })).status).toBe(201);
    expect(
      (await pos.post('accrue', { code: c, amount: 3000, currency: 'TWD', orderId: 'O-2' })).status,
    ).toBe(201);
    const rev = await pos.post('reverse', { orderId: 'O-1' });
    expect(rev.status).toBe(201);
    // O-1 earned 50, the redemption used 20 of them (oldest lot first): the refund takes back the
    // 30 left and says 20 were not; O-2's points are not touched.
    expect([rev.body.entry.points, rev.body.pointsNotTakenBack]).toEqual([-30, 20]);
    expect(await balanceOf(merchant, m.id)).toBe(50 - 20 + 30 - 30);
    // The same order id from another till with the same payload is the same request…
    const other = await posClient(merchant, `till-${dialect}-2`);
    const again = await other.post('accrue', { code: c, amount: 3000, currency: 'TWD', orderId: 'O-2' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // …and with another payload a conflict, not a second entry.
    const clash = await other.post('accrue', { code: c, amount: 3001, currency: 'TWD', orderId: 'O-2' });
    expect(clash.status).toBe(409);
  });

  it(
    concurrencyTitle(dialect, 'refunds exactly what was accrued under 20 parallel partial refunds'),
    async () => {
      const m = await newMember('parallel-refunds');
      const c = m.membership_code;
      await pos.post('accrue', { code: c, amount: 1050, currency: 'TWD', orderId: 'P-1' });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          pos.post('reverse', { orderId: 'P-1', refundId: `r${i}`, amount: 100 }),
        ),
      );
      const ok = results.filter((r) => r.status === 201);
      expect(ok).toHaveLength(10);
      expect(
        results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'over_reversal'),
      ).toBe(true);
      expect(ok.reduce((sum, r) => sum - (r.body.entry.points as number), 0)).toBe(10);
      expect(await balanceOf(merchant, m.id)).toBe(0);
      const rest = await pos.post('reverse', { orderId: 'P-1', refundId: 'last' });
      expect(rest.status).toBe(201);
      expect(rest.body.order).toEqual({ amount: 1050, refundedAmount: 1050, remainingAmount: 0 });
      expect((await pos.post('reverse', { orderId: 'P-1', refundId: 'more', amount: 1 })).status).toBe(409);
    },
  );

  it('never lets a redemption racing a reversal take the balance below zero', async () => {
    for (let round = 0; round < 5; round++) {
      const m = await newMember(`race-${round}`);
      const c = m.membership_code;
      await pos.post('accrue', { code: c, amount: 1000, currency: 'TWD', orderId: `R-${round}` });
      const [redeem, reverse] = await Promise.all([
        pos.post('redeem', { code: c, points: 10, orderId: `RD-${round}` }),
        pos.post('reverse', { orderId: `R-${round}` }),
      ]);
      // Redemption first: the refund finds the sale's points used and takes back none (says 10).
      // Refund first: the redemption finds no points. Never both, never below zero.
      if (redeem.status === 201) {
        expect([reverse.status, reverse.body.entry.points, reverse.body.pointsNotTakenBack]).toEqual([
          201, 0, 10,
        ]);
      } else {
        expect([redeem.status, redeem.body.error.code, reverse.body.entry.points]).toEqual([
          409,
          'insufficient_points',
          -10,
        ]);
      }
      expect(await balanceOf(merchant, m.id)).toBe(0);
    }
  });

  it(concurrencyTitle(dialect, 'My Code at two tills at once: exactly one accrues'), async () => {
    const m = await newMember('mycode');
    code = m.membership_code;
    const other = await posClient(merchant, `till-${dialect}-3`);
    const [a, b] = await Promise.all([
      pos.post('accrue', { code: KEY, amount: 1000, currency: 'TWD', orderId: 'K-1' }),
      other.post('accrue', { code: KEY, amount: 2000, currency: 'TWD', orderId: 'K-2' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 404]);
    expect(defined([a, b].find((r) => r.status === 404)).body.error.code).toBe('one_time_key_invalid');
    expect(await entryCount(merchant, m.id)).toBe(1);
  });

  it('refuses a change that would overflow the balance, storing nothing', async () => {
    const bigStore = createTestStore(dialect);
    const big = await buildMerchant(
      bigStore,
      {},
      { earning: { amountPerStep: 1, pointsPerStep: 1000 }, maxAmount: 1_000_000_000 },
    );
    try {
      const till = await posClient(big);
      const m = await addMember(big, 'rich@example.com');
      const c = m.membership_code;
      expect(
        (await till.post('accrue', { code: c, amount: 2_000_000, currency: 'TWD', orderId: 'B-1' })).status,
      ).toBe(201);
      const over = await till.post('accrue', { code: c, amount: 200_000, currency: 'TWD', orderId: 'B-2' });
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('balance_limit');
      const huge = await till.post('accrue', {
        code: c,
        amount: 900_000_000,
        currency: 'TWD',
        orderId: 'B-3',
      });
      expect(huge.body.error.code).toBe('balance_limit');
      expect(await balanceOf(big, m.id)).toBe(2_000_000_000);
      expect(await entryCount(big, m.id)).toBe(1);
    } finally {
      await big.close();
      await bigStore.destroy();
    }
  });
});
