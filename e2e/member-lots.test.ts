import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../apps/merchant/src/app.js';
import { runExpiryJob } from '../apps/merchant/src/jobs/expiry-job.js';
import { createOperator } from '../apps/merchant/src/members/operators.js';
import { MESSAGES } from '../apps/merchant/src/web/i18n.js';
import {
  addMember,
  buildMerchant,
  createTestStore,
  type PosClient,
  posClient,
  type TestStore,
} from '../apps/merchant/test/support/merchant-harness.js';
import { launchChromium, newPhone, shot } from './helpers/browser.js';
import { ROOT } from './helpers/processes.js';

/**
 * The member page's tier, expiry notice, lots and history (issue 13) in Debian's chromium on a
 * 390×844 phone, in the four languages. Screenshots in test-results/e2e-merchant-lots/.
 */
const SHOTS = join(ROOT, 'test-results', 'e2e-merchant-lots');
const LOCALES = ['en', 'ja', 'zh-TW', 'th'] as const;

describe('member page: tier, points by purchase and their expiry, history (phone, four languages)', () => {
  let store: TestStore;
  let merchant: MerchantApp;
  let pos: PosClient;
  let browser: Browser;
  let url: string;
  let now = new Date('2026-01-05T09:00:00.000Z');
  let tills = 0;
  const at = async (iso: string) => {
    now = new Date(iso);
    pos = await posClient(merchant, `till-${++tills}`);
  };

  beforeAll(async () => {
    store = createTestStore('sqlite', {
      tiers: {
        windowMonths: 12,
        levels: [
          { name: 'Member', minSpend: 0 },
          { name: 'Silver', minSpend: 10_000 },
          { name: 'Gold', minSpend: 50_000 },
        ],
      },
    });
    merchant = await buildMerchant(store, { now: () => now });
    url = await merchant.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await merchant?.close();
    await store?.destroy();
  });

  it('shows the tier and what is left to the next, the soonest expiry, each lot, and expiries in the history', async () => {
    const member = await addMember(merchant, 'lots@example.com', 'lots-password-1');
    const code = member.membership_code;
    await at('2026-01-05T09:00:00.000Z');
    await pos.post('accrue', { code, amount: 2_500, currency: 'TWD', orderId: 'A-1001' });
    await at('2026-06-12T09:00:00.000Z');
    await pos.post('accrue', { code, amount: 8_000, currency: 'TWD', orderId: 'A-1002' });
    await pos.post('redeem', { code, points: 10, orderId: 'R-1003' });
    await at('2026-09-20T09:00:00.000Z');
    await pos.post('accrue', { code, amount: 4_200, currency: 'TWD', orderId: 'A-1004' });
    await pos.post('refund', { orderId: 'A-1002', refundId: 'RF-1', amount: 1_000 });
    await at('2027-01-06T01:00:00.000Z');
    await runExpiryJob(merchant.context, { owner: 'e2e' }); // A-1001's 15 left expire

    for (const locale of LOCALES) {
      const context = await newPhone(browser, { locale });
      const page = await context.newPage();
      await page.goto(`${url}/login?lang=${locale}`);
      await page.fill('input[name=login]', 'lots@example.com');
      await page.fill('input[name=password]', 'lots-password-1');
      await page.locator('form button[type=submit]').first().click();
      await page.waitForURL(/\/member/);
      expect(await page.locator('#lots tr').count()).toBe(2);
      // Tier from the window's spend: 8 000 − 1 000 + 4 200 = 11 200 (A-1001 left the window).
      expect(await page.locator('#tier').textContent()).toContain('Silver');
      expect(await page.locator('#tier-spend').textContent()).toMatch(/11,200|11 200|11200/);
      expect(await page.locator('#expiring').textContent()).toMatch(/70/);
      // No sideways scrolling on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot(page, `member-${locale}`, SHOTS);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await shot(page, `member-${locale}-history`, SHOTS);
      await context.close();
    }
  }, 120_000);

  it('the till says when a refund could not take back points already used', async () => {
    await at('2027-02-01T10:00:00.000Z');
    const member = await addMember(merchant, 'till@example.com', 'till-password-1');
    await createOperator(
      merchant.context.db,
      { username: 'anna', password: 'anna-password', displayName: 'Anna' },
      now,
    );
    const context = await newPhone(browser);
    const page = await context.newPage();
    await page.goto(`${url}/pos`);
    await page.fill('#username', 'anna');
    await page.fill('#password', 'anna-password');
    await page.locator('form:has(#username) button[type=submit]').click();
    await page.locator('#code').waitFor();
    // A sale of 10 points, then the member uses them: through the till's own API session.
    const call = (path: string, body: unknown) =>
      page.evaluate(
        async ([p, b]) => {
          const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
          const res = await fetch(`/api/pos/${p}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify(b),
          });
          return res.status;
        },
        [path, body] as const,
      );
    expect(
      await call('accrue', {
        code: member.membership_code,
        amount: 1000,
        currency: 'TWD',
        orderId: 'T-2001',
      }),
    ).toBe(201);
    expect(await call('redeem', { code: member.membership_code, points: 6, orderId: 'T-2002' })).toBe(201);
    await page.reload();
    await page.locator('#refund-sale option[value="T-2001"]').waitFor({ state: 'attached' });
    await page.selectOption('#refund-sale', 'T-2001');
    await page.locator('#refund-button').click();
    await page.locator('#receipt-not-taken-back').waitFor();
    // 10 due back, 6 were used: 4 taken back, 6 not — and the receipt says so.
    expect(await page.locator('#receipt-not-taken-back').textContent()).toBe('6 pts');
    expect(await page.locator('#receipt-points').textContent()).toBe('-4 pts');
    expect((await page.locator('#result').textContent()) ?? '').toContain(
      'Not taken back (already used or expired)',
    );
    await shot(page, 'till-refund-not-taken-back', SHOTS);
    // The same receipt in the other languages (the label wraps within half the width).
    for (const locale of ['ja', 'zh-TW', 'th'] as const) {
      await page.goto(`${url}/pos?lang=${locale}`);
      await page.locator('#code').waitFor();
      const order = `T-${locale}`;
      const sale = { code: member.membership_code, amount: 1000, currency: 'TWD', orderId: order };
      expect(await call('accrue', sale)).toBe(201);
      expect(await call('redeem', { code: member.membership_code, points: 6, orderId: `${order}-R` })).toBe(
        201,
      );
      await page.reload();
      await page.locator(`#refund-sale option[value="${order}"]`).waitFor({ state: 'attached' });
      await page.selectOption('#refund-sale', order);
      await page.locator('#refund-button').click();
      await page.locator('#receipt-not-taken-back').waitFor();
      expect(await page.locator('#receipt-not-taken-back').textContent()).toContain('6');
      expect((await page.locator('#result').textContent()) ?? '').toContain(
        MESSAGES[locale].posReceiptNotTakenBack,
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot(page, `till-refund-not-taken-back-${locale}`, SHOTS);
    }
    await context.close();
  }, 90_000);
});
