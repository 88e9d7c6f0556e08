import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  merchantBrowser,
  posTerminal,
  walletClient,
} from '../apps/merchant/test/support/platform-process.js';
import { defined } from '../test-support/defined.js';
import { launchChromium, newPhone, shot } from './helpers/browser.js';
import { writeBarcodeVideo } from './helpers/fake-camera.js';
import { ROOT } from './helpers/processes.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * The till (issue 11) in Debian's chromium on a 390×844 phone, against the platform and the
 * reference merchant as real processes. The camera is Chromium's fake capture device playing a
 * Y4M video made here from a bwip-js rendering: the card's EAN-13, and a wallet's My Code as QR.
 * Screenshots in test-results/e2e-till/.
 */
const SHOTS = join(ROOT, 'test-results', 'e2e-till');
const VIEWPORT_HEIGHT = 844;
let stack: Stack;
let dir: string;
/** The wallet member of the My Code test, reused by the live-card tests. */
let quinn: Awaited<ReturnType<typeof walletMemberWithMyCode>> | undefined;
const browsers: Browser[] = [];

/** A browser whose camera shows `barcode`; a phone context of it allowed to use the camera. */
async function phoneWithCamera(barcode: Parameters<typeof writeBarcodeVideo>[1], name: string) {
  const video = join(dir, `${name}.y4m`);
  await writeBarcodeVideo(video, barcode);
  const browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  browsers.push(browser);
  const context = await newPhone(browser);
  await context.grantPermissions(['camera'], { origin: stack.merchantUrl });
  return { browser, context };
}

async function openTill(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.merchantUrl}/pos`);
  if (await page.locator('#username').isVisible()) {
    await page.fill('#username', stack.demoLogins.operator.username);
    await page.fill('#password', stack.demoLogins.operator.password);
    await page.locator('form:has(#username) button[type=submit]').click();
  }
  await page.locator('#code').waitFor();
  return page;
}

/** The banner is on screen (not below the fold) and announced: role status/alert, aria-live. */
async function bannerOnScreen(page: Page) {
  const banner = page.locator('#result:not([hidden])');
  await banner.waitFor();
  const box = await banner.boundingBox();
  expect(box).not.toBeNull();
  expect(defined(box).y).toBeGreaterThanOrEqual(0);
  expect(defined(box).y + defined(box).height).toBeLessThanOrEqual(VIEWPORT_HEIGHT);
  expect(await banner.getAttribute('aria-live')).toBe('polite');
  return banner;
}

/** Waits for a new receipt (the banner's data-code becomes 'ok'). */
async function receiptOf(page: Page) {
  await page.locator('#result.ok[data-code="ok"]').waitFor();
  await bannerOnScreen(page);
  return {
    order: await page.locator('#receipt-order').textContent(),
    member: await page.locator('#receipt-member').textContent(),
    points: await page.locator('#receipt-points').textContent(),
    balance: await page.locator('#receipt-balance').textContent(),
  };
}

async function scan(page: Page, expected: string) {
  await page.locator('#scan').click();
  await page.locator('#camera-box:not([hidden])').waitFor();
  await expect.poll(() => page.inputValue('#code'), { timeout: 20_000 }).toBe(expected);
  // A scanned code moves focus to the amount and the camera stops.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('amount');
  await page.locator('#camera-box[hidden]').waitFor({ state: 'attached' });
}

/** A new member who adds the Demo Mart card to a wallet (over HTTP), and that wallet's My Code. */
async function walletMemberWithMyCode() {
  const wallet = walletClient(stack.platformUrl);
  await wallet.signIn('till-qr');
  const reserve = await wallet.reserve(stack.demoMart.channelId);
  const merchant = merchantBrowser(stack.merchantUrl);
  await merchant.get(reserve.info.redirectUrl);
  await merchant.get('/mycard/bind/start');
  const signup = await merchant.post('/mycard/bind/signup', {
    displayName: 'Quinn',
    login: 'quinn@demo-mart.test',
    password: 'quinn-password-1',
  });
  const token = defined(new URL(defined(signup.location)).searchParams.get('token'));
  const done = await wallet.complete(token, stack.demoMart.channelId, 'SUCCESS');
  expect(done.status).toBe(200);
  const card = done.info.card as { bindingId: string; membershipCode: string };
  const myCode = await wallet.myCode();
  return { wallet, card, oneTimeKey: myCode.info.oneTimeKey as string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mycard-till-'));
  stack = await startStack();
}, 240_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('till e2e', () => {
  it('scans the card’s EAN-13 with the camera, then credits the right member; clears the form', async () => {
    const code = stack.demoLogins.member.membershipCode;
    const { context } = await phoneWithCamera({ bcid: 'ean13', text: code }, 'ean13');
    const page = await openTill(context);
    await shot(page, 'till-before-scan', SHOTS);
    await scan(page, code);
    await shot(page, 'till-after-scan', SHOTS);
    await page.keyboard.type('1250');
    await page.keyboard.press('Enter');
    const receipt = await receiptOf(page);
    expect(receipt.member).toContain('Demo Member');
    expect(receipt.member).toContain(code.slice(-4));
    expect(receipt.member).not.toContain(code);
    expect(receipt.points).toBe('+12 pts');
    expect(receipt.balance).toBe('12 pts');
    expect(receipt.order).toMatch(/^T[0-9A-Z]+$/);
    await shot(page, 'till-receipt', SHOTS);
    // Item 2: the form is cleared — Earn again credits nothing and says what is missing.
    expect(await page.inputValue('#code')).toBe('');
    expect(await page.inputValue('#amount')).toBe('');
    await page.locator('button[data-action="accrue"]').click();
    await page.locator('#result[data-code="code_missing"]').waitFor();
    // The member's own page has the points: the right member got them.
    const member = merchantBrowser(stack.merchantUrl);
    await member.get('/login');
    await member.post('/login', {
      login: stack.demoLogins.member.login,
      password: stack.demoLogins.member.password,
    });
    expect((await member.get('/member')).body).toContain('data-points="12"');

    // Item 3: the sale is in the refund list, selected; two partial refunds, each its own.
    expect(await page.inputValue('#refund-sale')).toBe(receipt.order);
    await page.fill('#refund', '300');
    await page.locator('#refund-button').click();
    await page.locator('#receipt-refund').waitFor();
    const firstRefund = await page.locator('#receipt-refund').textContent();
    expect(await page.locator('#result').textContent()).toContain('950 / 1250');
    await page.selectOption('#refund-sale', defined(receipt.order));
    await page.fill('#refund', '200');
    await page.locator('#refund-button').click();
    await expect.poll(() => page.locator('#result').textContent()).toContain('750 / 1250');
    expect(await page.locator('#receipt-refund').textContent()).not.toBe(firstRefund);
    expect(await page.locator('#receipt-balance').textContent()).toBe('7 pts');
  });

  it('scans a wallet’s My Code as QR → the holder’s card gets the points', async () => {
    quinn = await walletMemberWithMyCode();
    const { wallet, card, oneTimeKey } = quinn;
    const { context } = await phoneWithCamera({ bcid: 'qrcode', text: oneTimeKey }, 'mycode-qr');
    const page = await openTill(context);
    await scan(page, oneTimeKey);
    await page.fill('#amount', '800');
    await page.locator('button[data-action="accrue"]').click();
    const receipt = await receiptOf(page);
    expect(receipt.member).toContain('Quinn');
    expect(receipt.member).toContain(card.membershipCode.slice(-4));
    expect(receipt.points).toBe('+8 pts');
    // The points travel merchant → platform: the wallet's card shows them.
    await expect
      .poll(
        async () => {
          const cards = (await wallet.cards()).info.cards as Array<{ profile?: { points?: number } }>;
          return cards[0]?.profile?.points;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(8);
    // The card's name survived the points update (§6 merge, item 7).
    const cards = (await wallet.cards()).info.cards as Array<{ profile?: { displayName?: string } }>;
    expect(cards[0]?.profile?.displayName).toBe('Quinn');
  });

  it('works with a keyboard-wedge scanner, takes spaced codes, refuses 1e3 and tells a typo from a stranger', async () => {
    const browser = await launchChromium();
    browsers.push(browser);
    const context = await newPhone(browser);
    const page = await openTill(context);
    const code = stack.demoLogins.member.membershipCode;
    // A wedge types the code and Enter: focus moves to the amount, nothing is submitted.
    await page.locator('#code').focus();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('amount');
    expect(await page.locator('#result').isHidden()).toBe(true);
    // Item 4: amounts are digits only.
    await page.keyboard.type('1e3');
    await page.keyboard.press('Enter');
    await page.locator('#result.bad[data-code="amount_invalid"]').waitFor();
    await bannerOnScreen(page);
    // As the wallet prints it: spaced.
    const spaced = `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8, 12)} ${code.slice(12)}`;
    await page.fill('#code', spaced);
    await page.fill('#amount', '100');
    await page.locator('button[data-action="accrue"]').click();
    expect((await receiptOf(page)).member).toContain(code.slice(-4));
    // A wrong check digit is a typo, not an unknown member; a well-formed stranger is unknown.
    const typo = `${code.slice(0, 12)}${(Number(code[12]) + 1) % 10}`;
    await page.fill('#code', typo);
    await page.fill('#amount', '100');
    await page.locator('button[data-action="accrue"]').click();
    await page.locator('#result[data-code="code_check_digit"]').waitFor();
    expect(await page.locator('#result').textContent()).toMatch(/check digit/i);
    expect(await page.locator('#result').textContent()).not.toContain('(');
    await page.fill('#code', '2900000000001');
    await page.locator('button[data-action="accrue"]').click();
    await page.locator('#result[data-code="unknown_code"]').waitFor();
    expect(await page.locator('#result').textContent()).toBe('No member has this code.');
  });

  it('says so when camera permission is refused, and typing still works', async () => {
    const browser = await launchChromium(['--use-fake-device-for-media-stream']);
    browsers.push(browser);
    const context = await newPhone(browser);
    const page = await openTill(context);
    await page.locator('#scan').click();
    await page.locator('#result[data-code="camera_denied"]').waitFor();
    await bannerOnScreen(page);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code');
  });

  it('live card (§11): the open card shows new points within 5 s; My Code says it was used; a removed card is removed', async () => {
    if (!quinn) throw new Error('needs the My Code test before it');
    const { wallet, card } = quinn;
    const browser = defined(browsers[0]);
    const phone = await newPhone(browser);
    const session = wallet.jar.get('mycard_session');
    if (!session) throw new Error('no wallet session');
    await phone.addCookies([{ name: 'mycard_session', value: session, url: stack.platformUrl }]);
    const page = await phone.newPage();
    await page.goto(`${stack.platformUrl}/wallet/cards/${card.bindingId}`);
    await page.getByTestId('points').waitFor();
    expect(await page.getByTestId('points').textContent()).toBe('8');
    const till = await posTerminal(
      stack.merchantUrl,
      stack.demoLogins.operator.username,
      stack.demoLogins.operator.password,
    );
    const sale = await till('accrue', {
      code: card.membershipCode,
      amount: 1000,
      currency: 'TWD',
      orderId: 'LIVE-1',
    });
    expect(sale.status).toBe(201);
    const soldAt = Date.now();
    // No reload: the open card polls (ETag/304) and shows the change within 5 s.
    await expect
      .poll(() => page.getByTestId('points').textContent(), { timeout: 5000, interval: 200 })
      .toBe('18');
    const seenAfter = Date.now() - soldAt;
    expect(seenAfter).toBeLessThan(5000);
    // The member's name survived the points-only update (§6 merge).
    expect(await page.locator('.card-face-member').textContent()).toContain('Quinn');
    await shot(page, 'live-card-update', SHOTS);

    // My Code: used at the till → the wallet says so and offers a fresh one.
    await page.goto(`${stack.platformUrl}/wallet/mycode`);
    await page.locator('.mycode .code-text').waitFor();
    const shown = ((await page.locator('.mycode .code-text').textContent()) ?? '').replace(/\D/g, '');
    expect(shown).toMatch(/^\d{18}$/);
    expect(
      (await till('accrue', { code: shown, amount: 300, currency: 'TWD', orderId: 'LIVE-2' })).status,
    ).toBe(201);
    await page.getByTestId('mycode-used').waitFor({ timeout: 5000 });
    await shot(page, 'mycode-used', SHOTS);
    await page.getByRole('button', { name: 'Show a new code' }).click();
    await page.locator('.mycode .code-text').waitFor();
    const fresh = ((await page.locator('.mycode .code-text').textContent()) ?? '').replace(/\D/g, '');
    expect(fresh).not.toBe(shown);

    // Remove the card, then open its old URL: shown as removed, no code, no Remove button.
    await page.goto(`${stack.platformUrl}/wallet/cards/${card.bindingId}`);
    await page.getByRole('button', { name: 'Remove card' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('heading', { name: 'No cards yet' }).waitFor();
    await page.goto(`${stack.platformUrl}/wallet/cards/${card.bindingId}`);
    await page.getByTestId('card-removed').waitFor();
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove card' }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(card.membershipCode);
    await shot(page, 'card-removed', SHOTS);
    await phone.close();
  });

  it('shows the zh-TW till with distinct labels and styled language links', async () => {
    const browser = defined(browsers[browsers.length - 1]);
    const context = await newPhone(browser, { locale: 'zh-TW' });
    const page = await openTill(context);
    const label = await page.locator('label[for="points"]').textContent();
    const button = await page.locator('button[data-action="redeem"]').textContent();
    expect(label).not.toBe(button);
    const link = page.locator('.langs a').first();
    const style = await link.evaluate((el) => {
      const s = getComputedStyle(el);
      return { radius: s.borderTopLeftRadius, decoration: s.textDecorationLine };
    });
    expect(style.decoration).toBe('none');
    expect(style.radius).not.toBe('0px');
  });
});
