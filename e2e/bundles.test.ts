import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { launchChromium, newPhone, SHOTS_DIR, shot } from './helpers/browser.js';
import { consoleClient, makeLogo, type Stack, startStack } from './helpers/stack.js';

/**
 * Campaign bundles end to end (PROTOCOL.md §9, issue 13) in Chromium on a 390×844 phone: a platform
 * administrator creates a bundle of Demo Mart, the second demo shop `npm start` runs (Noodle Bar, a
 * reference merchant on its own site) and a third program; the shops' operator accepts in the console; a wallet user
 * opens the shared link and walks through adding each card on each merchant's own binding page —
 * going Back from one merchant page, skipping the last card — and ends on the finished state. The
 * console's figures then match what happened. Screenshots in test-results/e2e-bundles/.
 */
const DIR = join(SHOTS_DIR, '..', 'e2e-bundles');
let stack: Stack;
let browser: Browser;
let phone: BrowserContext;
let adminConsole: BrowserContext;
let page: Page;
let shop2Url = '';
let noodle = { channelId: '' };
let bundleId = '';
let walletUrl = '';

const admin = () => consoleClient(stack.platformUrl);

/** Signs up at a reference merchant's binding page and comes back to the wallet's confirm screen. */
async function joinAtMerchant(p: Page, merchantUrl: string, who: string) {
  await p.waitForURL((url) => url.href.startsWith(merchantUrl), { timeout: 15_000 });
  await p.locator('#signup-name').waitFor();
  await p.fill('#signup-name', who);
  await p.fill('#signup-id', `${who.toLowerCase().replace(/\W+/g, '.')}@example.test`);
  await p.fill('#signup-password', `${who.length}-long-password-123`);
  await p.locator('form:has(#signup-name) button[type=submit]').click();
  await p.waitForURL(/\/wallet\/bindings\/callback|\/mycard\/bind/);
  if (p.url().startsWith(merchantUrl)) await p.locator('#apply').click();
  await p.getByRole('heading', { name: 'Add this card?' }).waitFor({ timeout: 15_000 });
}

async function progressText(p: Page) {
  return (await p.getByTestId('bundle-progress').textContent())?.trim();
}

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack();

  // The second demo shop `npm start` runs (Noodle Bar, its own reference-merchant site) gets a logo.
  const operator = consoleClient(stack.platformUrl);
  await operator.call('POST', '/v1/console/session', stack.consoleLogin);
  noodle = { channelId: stack.noodleBar.channelId };
  shop2Url = stack.noodleBar.url;
  await operator.call(
    'PUT',
    `/v1/console/programs/${noodle.channelId}/logo`,
    makeLogo('#b45309'),
    'image/png',
  );
  phone = await newPhone(browser);
  page = await phone.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('campaign bundles e2e', { timeout: 120_000 }, () => {
  it('`npm start` prints the demo bundle’s link; it offers Demo Mart, the Demo Group and Noodle Bar, all joined', async () => {
    const link = defined(
      /wallet link\s+(\S+\/wallet\/bundles\/bd_[A-Za-z0-9_-]{16})/.exec(stack.output())?.[1],
    );
    const demo = admin();
    await demo.call('POST', '/v1/console/session', stack.adminLogin);
    const { bundles } = await demo.call<{
      bundles: { walletUrl: string; programs: { channelId: string; state: string }[] }[];
    }>('GET', '/v1/console/admin/bundles');
    const found = defined(bundles.find((b) => b.walletUrl === link));
    expect(found.programs.map((p) => [p.channelId, p.state])).toEqual([
      [stack.demoMart.channelId, 'JOINED'],
      [stack.demoGroup.channelId, 'JOINED'],
      [noodle.channelId, 'JOINED'],
    ]);
  });

  it('a platform administrator creates the bundle in the console; its page shows the link and a QR code', async () => {
    const a = admin();
    await a.call('POST', '/v1/console/session', stack.adminLogin);
    adminConsole = await newPhone(browser);
    const console = await adminConsole.newPage();
    await console.goto(`${stack.platformUrl}/console/`);
    await console.fill('#auth-email', stack.adminLogin.email);
    await console.fill('#auth-password', stack.adminLogin.password);
    await console.locator('form button[type=submit]').click();
    await console.getByRole('link', { name: 'Bundles' }).click();
    await console.getByRole('link', { name: /New bundle/ }).click();
    await console.fill('#bundle-name', 'Street food week');
    await console.fill('#bundle-description', '3 shops, double points this week.');
    for (const name of ['Demo Mart', 'Noodle Bar', /Bakery/]) {
      await console.getByRole('checkbox', { name }).check();
    }
    await shot(console, '01-console-new-bundle', DIR);
    await console.getByRole('button', { name: 'Create and invite' }).click();
    await console.getByTestId('bundle-qr').waitFor();
    walletUrl = defined(await console.getByTestId('bundle-link').textContent()).trim();
    bundleId = defined(/\/wallet\/bundles\/(bd_[A-Za-z0-9_-]{16})$/.exec(walletUrl)?.[1]);
    expect(walletUrl).toBe(`${stack.platformUrl}/wallet/bundles/${bundleId}`);
    // The QR code is drawn (a canvas with pixels), named by its link.
    const qr = console.getByRole('img', { name: `QR code of ${walletUrl}` });
    expect((await qr.boundingBox())?.width).toBeGreaterThan(100);
    await shot(console, '02-console-bundle', DIR);
    await console.close();
  });

  it('the wallet shows nothing until a program joins; the shops’ operator accepts in the console', async () => {
    await page.goto(walletUrl);
    await page.getByRole('button', { name: 'Continue as Alice' }).click();
    await page.getByText('This campaign is not running now').waitFor();
    await shot(page, '03-wallet-not-yet', DIR);

    const operatorConsole = await newPhone(browser);
    const console = await operatorConsole.newPage();
    await console.goto(`${stack.platformUrl}/console/#/bundles`);
    await console.fill('#auth-email', stack.consoleLogin.email);
    await console.fill('#auth-password', stack.consoleLogin.password);
    await console.locator('form button[type=submit]').click();
    await console.getByTestId('bundle-invitations').waitFor();
    const invitations = console
      .getByTestId('bundle-invitations')
      .locator('li', { hasText: 'Street food week' });
    await expect.poll(() => invitations.count()).toBe(3);
    await shot(console, '04-console-invitations', DIR);
    for (let i = 0; i < 3; i++) {
      await invitations.getByRole('button', { name: 'Accept' }).first().click();
      await expect.poll(() => invitations.getByRole('button', { name: 'Accept' }).count()).toBe(2 - i);
    }
    expect(await invitations.getByText('Joined').count()).toBe(3);
    await shot(console, '05-console-joined', DIR);
    await operatorConsole.close();
  });

  it('walks through both merchants’ real binding pages with Back and Skip, to the finished state', async () => {
    await page.goto(walletUrl);
    await page.getByRole('heading', { name: 'Street food week' }).waitFor();
    expect(await progressText(page)).toBe('0 of 3 added');
    await shot(page, '06-bundle-start', DIR);

    // 1. Demo Mart, on its own site.
    await page.getByRole('button', { name: 'Add Demo Mart' }).first().click();
    await joinAtMerchant(page, stack.merchantUrl, 'Alice Lin');
    await shot(page, '07-confirm-demo-mart', DIR);
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.waitForURL(`${stack.platformUrl}/wallet/bundles/${bundleId}`);
    await page.getByText('Demo Mart card added.').waitFor();
    expect(await progressText(page)).toBe('1 of 3 added');
    await shot(page, '08-bundle-one-added', DIR);

    // 2. Noodle Bar: the person goes Back from the merchant's page, then tries again.
    await page.getByRole('button', { name: 'Add Noodle Bar' }).first().click();
    await page.waitForURL((url) => url.href.startsWith(shop2Url), { timeout: 15_000 });
    await page.locator('#signup-name').waitFor();
    await shot(page, '09-noodle-bar-binding-page', DIR);
    await page.goBack();
    await page.waitForURL(`${stack.platformUrl}/wallet/bundles/${bundleId}`);
    await page.getByRole('button', { name: 'Add Noodle Bar' }).first().waitFor();
    expect(await progressText(page)).toBe('1 of 3 added');
    await page.getByRole('button', { name: 'Add Noodle Bar' }).first().click();
    await joinAtMerchant(page, shop2Url, 'Alice Noodle');
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.waitForURL(`${stack.platformUrl}/wallet/bundles/${bundleId}`);
    await page.getByText('Noodle Bar card added.').waitFor();
    expect(await progressText(page)).toBe('2 of 3 added');

    // 3. The third card is skipped: the finished state.
    const next = page.getByTestId('bundle-next');
    await expect.poll(async () => (await next.textContent()) ?? '').toContain('Bakery');
    // The program's name is text, never markup.
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await page.getByRole('button', { name: 'Skip this card' }).click();
    await page.getByTestId('bundle-finished').waitFor();
    expect(await page.getByTestId('bundle-finished').textContent()).toContain('2 of 3 cards added');
    const list = page.getByTestId('bundle-list');
    expect(await list.getByText('In your wallet').count()).toBe(2);
    expect(await list.getByText('Skipped').count()).toBe(1);
    await shot(page, '10-bundle-finished', DIR);

    // Both cards are in the wallet.
    await page.getByRole('link', { name: 'Back to My cards' }).click();
    await page.getByRole('link', { name: /Open Demo Mart card/ }).waitFor();
    await page.getByRole('link', { name: /Open Noodle Bar card/ }).waitFor();
    await shot(page, '11-my-cards', DIR);
  });

  it.each([
    ['ja-JP', '3 枚中 0 枚追加済み', 'ja'],
    ['zh-TW', '已加入 0 / 3 張', 'zh-tw'],
    ['th-TH', 'เพิ่มแล้ว 0 จาก 3 ใบ', 'th'],
  ])('another user sees the bundle in %s', async (locale, progress, tag) => {
    const bob = await newPhone(browser, { locale });
    const p = await bob.newPage();
    await p.goto(walletUrl);
    await p.getByRole('button', { name: /Bob/ }).click();
    await p.getByTestId('bundle-progress').waitFor();
    expect(await progressText(p)).toBe(progress);
    await shot(p, `12-bundle-${tag}`, DIR);
    await bob.close();
  });

  it('the figures match what happened: views, reservations and cards added per program', async () => {
    const a = admin();
    await a.call('POST', '/v1/console/session', stack.adminLogin);
    const f = await a.call<{
      views: number;
      viewers: number;
      reservations: number;
      cardsAdded: number;
      programs: { channelId: string; reservations: number; cardsAdded: number }[];
    }>('GET', `/v1/console/admin/bundles/${bundleId}/figures`);
    // Alice opened the page several times (the 4004 before anyone joined is no view), Bob three times.
    expect(f.viewers).toBe(2);
    expect(f.views).toBeGreaterThanOrEqual(5);
    const per = Object.fromEntries(f.programs.map((p) => [p.channelId, [p.reservations, p.cardsAdded]]));
    expect(per[stack.demoMart.channelId]).toEqual([1, 1]);
    // Back from Noodle Bar's page left one reservation unused.
    expect(per[noodle.channelId]).toEqual([2, 1]);
    expect(per[stack.xssProgram.channelId]).toEqual([0, 0]);
    expect([f.reservations, f.cardsAdded]).toEqual([3, 2]);

    const console = await adminConsole.newPage();
    await console.goto(`${stack.platformUrl}/console/#/bundles/${bundleId}`);
    await console.getByTestId('bundle-chart').waitFor();
    await console.getByTestId('bundle-totals').scrollIntoViewIfNeeded();
    await shot(console, '13-console-figures', DIR);

    // The administrator takes the third program out: it is LEFT, and the wallet no longer offers it.
    await console.getByRole('button', { name: 'Change the invited programs' }).click();
    await console.getByRole('checkbox', { name: /Bakery/ }).uncheck();
    await shot(console, '14-console-edit-programs', DIR);
    await console.getByRole('button', { name: 'Save and invite' }).click();
    await console.getByRole('button', { name: 'Change the invited programs' }).waitFor();
    // The list is read again after the save: wait for the Bakery row to say Left (count() would not wait).
    const bakeryLeft = console.locator('.bundle-row', { hasText: 'Bakery' }).getByText('Left');
    await bakeryLeft.waitFor();
    expect(await bakeryLeft.count()).toBe(1);
    await console.close();
    await page.goto(walletUrl);
    await page.getByTestId('bundle-finished').waitFor();
    expect(await progressText(page)).toBe('2 of 2 added');
  });
});
