import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchantApp, type MerchantApp } from '../apps/merchant/src/app.js';
import { createOperator } from '../apps/merchant/src/members/operators.js';
import { writeCredentials } from '../apps/merchant/src/secrets.js';
import { writeStores } from '../apps/merchant/src/stores/stores.js';
import { defined } from '../test-support/defined.js';
import { freePort } from '../test-support/free-port.js';
import { launchChromium, newPhone, shot } from './helpers/browser.js';
import { ROOT } from './helpers/processes.js';
import { consoleClient, makeLogo, type Stack, startStack } from './helpers/stack.js';

/**
 * Group programs end to end (PROTOCOL.md §8, issue 12) in Debian's chromium on a 390×844 phone: the
 * owner makes a program a group and adds two stores in the console; the group's shop (the reference
 * merchant, with a store per participant) runs on those credentials; a shopper adds the group card
 * in the wallet, collects points at both stores' tills (a membership code at one, the wallet's My
 * Code at the other, resolved through that store's own channel), and the wallet shows both stores
 * and one balance. Screenshots in test-results/e2e-groups/.
 */
const SHOTS = join(ROOT, 'test-results', 'e2e-groups');
const STORES = ['Harbour Bakery', 'Harbour Books'] as const;
const OPERATOR = { username: 'harbour-till', password: 'harbour-till-password' };
let stack: Stack;
let browser: Browser;
let dir: string;
let shop: MerchantApp | undefined;
let shopUrl: string;
let channelId: string;
let channelSecret: string;
const stores: { storeId: string; name: string; channelId: string; channelSecret: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mycard-groups-'));
  stack = await startStack();
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openTill(page: Page, store: string) {
  await page.goto(`${shopUrl}/pos`);
  await page.getByLabel('Store').selectOption({ label: store });
  if (store === STORES[0]) await shot(page, 'till-login-store', SHOTS);
  await page.fill('#username', OPERATOR.username);
  await page.fill('#password', OPERATOR.password);
  await page.locator('form:has(#username) button[type=submit]').click();
  await page.locator('#code').waitFor();
  expect(await page.locator('#till-store').textContent()).toBe(`Store: ${store}`);
}

async function earn(page: Page, code: string, amount: string) {
  await page.fill('#code', code);
  await page.fill('#amount', amount);
  await page.locator('button[data-action=accrue]').click();
  await page.locator('#result.ok[data-code="ok"]').waitFor();
  return {
    points: await page.locator('#receipt-points').textContent(),
    balance: await page.locator('#receipt-balance').textContent(),
  };
}

describe('group programs e2e', () => {
  it('the owner makes a group program with two stores in the console; each store’s secret shows once', async () => {
    const port = await freePort();
    shopUrl = `http://localhost:${port}`;
    const owner = consoleClient(stack.platformUrl);
    await owner.call('POST', '/v1/console/session', stack.consoleLogin);
    const created = await owner.call<{ program: { channelId: string }; channelSecret: string }>(
      'POST',
      '/v1/console/programs',
      {
        name: 'Harbour Group',
        codeType: 'EAN13',
        bindingUrl: `${shopUrl}/mycard/bind`,
        webhookUrl: `${shopUrl}/mycard/webhook`,
        colors: { background: '#1e3a8a', foreground: '#ffffff' },
      },
    );
    channelId = created.program.channelId;
    channelSecret = created.channelSecret;
    await owner.call('POST', `/v1/console/programs/${channelId}/status`, { status: 'LIVE' });

    const context = await newPhone(browser);
    const page = await context.newPage();
    await page.goto(`${stack.platformUrl}/console/`);
    await page.getByLabel('E-mail').fill(stack.consoleLogin.email);
    await page.getByLabel('Password').fill(stack.consoleLogin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${stack.platformUrl}/console/#/programs/${channelId}/group`);
    await page.getByRole('button', { name: 'Make this a group program' }).waitFor();
    await shot(page, 'console-group-make', SHOTS);
    await page.getByRole('button', { name: 'Make this a group program' }).click();
    for (const name of STORES) {
      await page.getByLabel('Store or brand name').fill(name);
      await page.getByRole('button', { name: 'Add participant' }).click();
      const row = page.locator(`[data-testid="participant-${name}"]`);
      const secret = defined(await row.locator('[data-testid=participant-secret]').textContent());
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      stores.push({
        storeId: '',
        name,
        channelId: defined(await row.locator('code.mono').first().textContent()),
        channelSecret: secret,
      });
    }
    // The bakery's logo, checked by content on upload and shown in the wallet.
    await page
      .locator(`[data-testid="participant-${STORES[0]}"] input[type=file]`)
      .setInputFiles({ name: 'bakery.png', mimeType: 'image/png', buffer: makeLogo('#b45309') });
    await page.locator(`[data-testid="participant-${STORES[0]}"] img.head-logo`).waitFor();
    await shot(page, 'console-group', SHOTS);
    // The list (no secret in it) gives the participant ids.
    const list = await owner.call<{ participants: { participantId: string; channelId: string }[] }>(
      'GET',
      `/v1/console/programs/${channelId}/participants`,
    );
    for (const s of stores)
      s.storeId = defined(list.participants.find((p) => p.channelId === s.channelId)).participantId;
    // A reload shows the stores but no secret until someone reveals one.
    await page.reload();
    await page.locator(`[data-testid="participant-${STORES[1]}"]`).waitFor();
    expect(await page.locator('[data-testid=participant-secret]').count()).toBe(0);
    await context.close();
  });

  it('a shopper adds the group card, earns at both stores’ tills, and the wallet shows both stores and one balance', async () => {
    // The group's shop: the reference merchant with a store per participant (docs/integration-guide.md, Groups).
    const shopDir = join(dir, 'shop');
    writeCredentials(shopDir, { channelId, channelSecret, platformUrl: stack.platformUrl });
    writeStores(shopDir, stores);
    shop = await createMerchantApp({
      port: Number(new URL(shopUrl).port),
      publicUrl: shopUrl,
      platformUrl: stack.platformUrl,
      dataDir: shopDir,
      logLevel: 'warn',
      brand: { name: 'Harbour Group', colors: { background: '#1e3a8a', foreground: '#ffffff' } },
      sync: { pollMs: 200 },
    });
    await shop.app.listen({ port: Number(new URL(shopUrl).port), host: '127.0.0.1' });
    await createOperator(shop.context.db, { ...OPERATOR, displayName: 'Harbour Till' }, new Date());

    const phone = await newPhone(browser);
    const wallet = await phone.newPage();
    await wallet.goto(`${stack.platformUrl}/wallet/`);
    await wallet.getByRole('button', { name: 'Continue as Alice' }).click();
    await wallet.goto(`${stack.platformUrl}/wallet/add/${channelId}`);
    await wallet.getByRole('heading', { name: 'Use this card at' }).waitFor();
    await shot(wallet, 'wallet-program', SHOTS);
    await wallet.getByRole('button', { name: 'Add to My Card' }).click();
    await wallet.waitForURL((url) => url.href.startsWith(shopUrl), { timeout: 15_000 });
    await wallet.fill('#signup-name', 'Alice Harbour');
    await wallet.fill('#signup-id', 'alice@harbour.test');
    await wallet.fill('#signup-password', 'alice-password-123');
    await wallet.locator('form:has(#signup-name) button[type=submit]').click();
    await wallet.waitForURL(/\/wallet\/bindings\/callback|\/mycard\/bind/);
    if (wallet.url().startsWith(shopUrl)) await wallet.locator('#apply').click();
    await wallet.getByRole('button', { name: 'Add to My Card' }).click();
    await wallet.getByRole('heading', { name: 'Card added' }).waitFor();

    const member = await shop.context.db
      .selectFrom('members')
      .select('membership_code')
      .where('email', '=', 'alice@harbour.test')
      .executeTakeFirstOrThrow();

    const tills = await newPhone(browser);
    const bakery = await tills.newPage();
    await openTill(bakery, STORES[0]);
    await shot(bakery, 'till-bakery', SHOTS);
    expect(await earn(bakery, member.membership_code, '1000')).toEqual({
      points: '+10 pts',
      balance: '10 pts',
    });

    // The wallet's My Code, scanned at the other store: resolved through that store's own channel.
    await wallet.goto(`${stack.platformUrl}/wallet/mycode`);
    const key = defined(await wallet.locator('.mycode .code-text').textContent()).replace(/\s/g, '');
    expect(key).toMatch(/^[0-9]{18}$/);
    const books = await (await newPhone(browser)).newPage();
    await openTill(books, STORES[1]);
    expect(await earn(books, key, '500')).toEqual({ points: '+5 pts', balance: '15 pts' });
    await shot(books, 'till-books', SHOTS);

    const entries = await shop.context.db
      .selectFrom('ledger_entries')
      .select(['store_id', 'points'])
      .orderBy('id')
      .execute();
    expect(entries).toEqual([
      { store_id: defined(stores[0]).storeId, points: 10 },
      { store_id: defined(stores[1]).storeId, points: 5 },
    ]);

    // The wallet: one card, both stores, one balance (synced by the shop's outbox).
    await wallet.goto(`${stack.platformUrl}/wallet/`);
    await wallet.getByRole('link', { name: /Harbour Group/ }).click();
    await expect
      .poll(
        async () => {
          await wallet.reload();
          await wallet.getByRole('heading', { name: 'Use this card at' }).waitFor();
          return wallet.locator('.card-face').first().textContent();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain('15');
    const names = await wallet.locator('.participant-name').allTextContents();
    expect(names).toEqual([...STORES]);
    // The bakery shows its logo, the bookshop its initial.
    const logos = wallet.locator('.participant');
    expect(await logos.nth(0).locator('img.logo').getAttribute('src')).toMatch(
      /^\/v1\/participants\/pt_[A-Za-z0-9_-]{16}\/logo/,
    );
    expect(await logos.nth(1).locator('img').count()).toBe(0);
    await shot(wallet, 'wallet-card', SHOTS);
  });
});
