import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../apps/wallet/test/helpers/decode-barcode.js';
import { launchChromium, newPhone, shot } from './helpers/browser.js';
import { builtIndexHtml, inlineScripts } from './helpers/build-web.js';
import { consoleClient, type Stack, startStack, XSS_PAYLOAD } from './helpers/stack.js';

/**
 * The wallet end to end (issue #4, steps 2–7), in Debian's chromium on a 390×844 phone, against the
 * platform and the reference merchant system running as real processes. Every step leaves a
 * screenshot in test-results/e2e-wallet/.
 */
let stack: Stack;
let browser: Browser;
let alice: BrowserContext;
let bob: BrowserContext;
let page: Page;
let memberCode = '';

const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

async function waitForBarcode(p: Page, label: RegExp) {
  const canvas = p.getByRole('img', { name: label });
  await canvas.and(p.locator('canvas[data-ready="true"]')).waitFor({ timeout: 15_000 });
  return canvas;
}

/** Reloads the card page until the points read `expected` (profile updates travel merchant → platform). */
async function waitForPoints(p: Page, expected: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const points = p.getByTestId('points');
    if ((await points.count()) > 0 && (await points.first().textContent()) === expected) return;
    if (Date.now() > deadline) throw new Error(`points never became ${expected}`);
    await p.waitForTimeout(500);
    await p.reload();
    await p.locator('.code-panel').waitFor();
  }
}

async function posAccrue(context: BrowserContext, code: string, amount: number, orderId: string) {
  const pos = await context.newPage();
  await pos.goto(`${stack.merchantUrl}/pos`);
  if (await pos.locator('#username').isVisible()) {
    await pos.fill('#username', stack.demoLogins.operator.username);
    await pos.fill('#password', stack.demoLogins.operator.password);
    await pos.locator('form:has(#username) button[type=submit]').click();
  }
  await pos.locator('#code').waitFor();
  await pos.fill('#code', code);
  // The order id is made by the till; a till's own order number goes under "Order id".
  if (!(await pos.locator('#orderId').isVisible())) await pos.locator('details.more > summary').click();
  await pos.fill('#orderId', orderId);
  await pos.fill('#amount', String(amount));
  await pos.locator('button[data-action="accrue"]').click();
  await pos.locator('#result.ok:not([hidden])').waitFor();
  return pos;
}

beforeAll(async () => {
  const html = builtIndexHtml('wallet');
  expect(inlineScripts(html), 'dist/index.html must not carry inline script (CSP)').toEqual([]);
  browser = await launchChromium();
  stack = await startStack();
  alice = await newPhone(browser);
  bob = await newPhone(browser, { colorScheme: 'dark', locale: 'ja-JP' });
  page = await alice.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('wallet e2e', () => {
  it('serves the wallet with a strict CSP and no inline script', async () => {
    const response = await fetch(`${stack.platformUrl}/wallet/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(inlineScripts(await response.text())).toEqual([]);
  });

  it('step 2a: a dev user signs in and sees an empty wallet', async () => {
    await page.goto(`${stack.platformUrl}/wallet/`);
    await page.getByRole('button', { name: 'Continue as Alice' }).waitFor();
    await shot(page, '01-sign-in');
    await page.getByRole('button', { name: 'Continue as Alice' }).click();
    await page.getByRole('heading', { name: 'No cards yet' }).waitFor();
    await shot(page, '02-empty-wallet');
  });

  it('step 2b: searches programs and opens Demo Mart', async () => {
    await page.getByRole('link', { name: 'Add a card' }).click();
    await page.getByRole('link', { name: /Demo Mart/ }).waitFor();
    await shot(page, '03-add-card-search');
    // "Demo Group" is listed beside it (npm start's demo data): the search narrows to the one named.
    await page.getByRole('searchbox').fill('demo');
    await expect.poll(() => page.locator('.program-row').count()).toBe(2);
    await page.getByRole('searchbox').fill('demo mart');
    await expect.poll(() => page.locator('.program-row').count()).toBe(1);
    await page.getByRole('link', { name: /Demo Mart/ }).click();
    await page.getByRole('button', { name: 'Add to My Card' }).waitFor();
    await page.locator('.card-face img.logo').waitFor();
    await shot(page, '04-program-detail');
  });

  it('step 2c: adds the card through the merchant’s real pages; the barcode decodes to the member code', async () => {
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.merchantUrl), { timeout: 15_000 });
    await page.locator('#signup-name').waitFor();
    await shot(page, '05-merchant-binding-page');
    await page.fill('#signup-name', 'Alice Lin');
    await page.fill('#signup-id', 'alice@example.test');
    await page.fill('#signup-password', 'alice-password-123');
    await page.locator('form:has(#signup-name) button[type=submit]').click();
    await page.waitForURL(/\/wallet\/bindings\/callback|\/mycard\/bind/);
    if (page.url().startsWith(stack.merchantUrl)) await page.locator('#apply').click();
    await page.getByRole('heading', { name: 'Add this card?' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.card-face-masked').textContent()).toContain('Membership code');
    await shot(page, '06-callback-confirm');
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.getByRole('heading', { name: 'Card added' }).waitFor();
    // The single-use token left the address bar.
    expect(page.url()).not.toContain('token=');
    await shot(page, '07-card-added');

    // Reloading the page after the card was added shows the card (issue 11 item 9), not "This link
    // is incomplete".
    await page.reload();
    await page.waitForURL(/\/wallet\/cards\//);
    expect(await page.getByText('This link is incomplete').count()).toBe(0);
    const barcode = await waitForBarcode(page, /^Membership code \d{13}$/);
    memberCode = ((await barcode.getAttribute('aria-label')) ?? '').replace('Membership code ', '');
    expect(digits(await page.locator('.code-text').textContent())).toBe(memberCode);
    await shot(page, '08-card');
    const decoded = decodePng(await barcode.screenshot());
    expect(decoded).toEqual({ text: memberCode, format: 'EAN_13' });

    // The merchant has the same member code for Alice.
    const member = await alice.newPage();
    await member.goto(`${stack.merchantUrl}/member`);
    expect(digits(await member.locator('body').textContent())).toContain(memberCode);
    await member.close();
  });

  it('step 3: an accrual at the POS shows on the wallet card', async () => {
    const pos = await posAccrue(alice, memberCode, 1200, 'E2E-ORDER-1');
    await shot(pos, '09-pos-accrual');
    await pos.close();
    await waitForPoints(page, '12');
    await shot(page, '10-card-with-points');
    await page.locator('.detail').scrollIntoViewIfNeeded();
    await shot(page, '10b-card-detail-page');
  });

  it('step 4: My Code — the one-time key accrues points for the right member', async () => {
    await page.getByRole('link', { name: 'My Code' }).click();
    const barcode = await waitForBarcode(page, /^One-time code \d{18}$/);
    await page
      .getByRole('img', { name: /^QR code: One-time code/ })
      .and(page.locator('[data-ready]'))
      .waitFor();
    const key = ((await barcode.getAttribute('aria-label')) ?? '').replace('One-time code ', '');
    expect(await page.getByRole('timer').textContent()).toMatch(/Valid for [45]:\d\d/);
    await shot(page, '11-my-code');
    expect(decodePng(await barcode.screenshot())).toEqual({ text: key, format: 'CODE_128' });

    const pos = await posAccrue(alice, key, 500, 'E2E-ORDER-2');
    expect(await pos.locator('#result').textContent()).not.toMatch(/error|fail/i);
    await pos.close();
    await page.getByRole('link', { name: 'My cards' }).click();
    await page.getByRole('link', { name: /Demo Mart/ }).click();
    await waitForPoints(page, '17');
    await page.getByRole('link', { name: 'Back' }).click();
    await page.locator('.card-face-points', { hasText: '17 pts' }).waitFor();
    await shot(page, '11b-card-list');
    await page.getByRole('link', { name: /Demo Mart/ }).click();
    await page.getByTestId('points').waitFor();
  });

  it('step 5: the user removes the card; it is gone and the merchant sees the unbind', async () => {
    await page.getByRole('button', { name: 'Remove card' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Demo Mart?' });
    await dialog.waitFor();
    await shot(page, '12-remove-confirm');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('status').filter({ hasText: 'Demo Mart card removed.' }).waitFor();
    await page.getByRole('heading', { name: 'No cards yet' }).waitFor();
    await shot(page, '13-card-removed');

    const member = await alice.newPage();
    await expect
      .poll(
        async () => {
          await member.goto(`${stack.merchantUrl}/member`);
          return member.locator('body').textContent();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toContain('Not in a wallet yet');
    await member.close();
  });

  it('step 5b: “Don’t add” on the confirm screen really cancels the binding; nothing is added', async () => {
    await page.getByRole('link', { name: 'Add card' }).click();
    await page.getByRole('link', { name: /Demo Mart/ }).click();
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.merchantUrl));
    await page.locator('#apply').click();
    await page.getByRole('heading', { name: 'Add this card?' }).waitFor({ timeout: 15_000 });
    const callback = new URL(page.url());
    const token = callback.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Back from the confirm screen returns to the program's page (issue 11 item 9), not to the
    // merchant's last page; Forward returns to the confirm screen (the preview consumed nothing).
    await page.goBack();
    await page.waitForURL(`${stack.platformUrl}/wallet/add/${stack.demoMart.channelId}`);
    await page.getByRole('button', { name: 'Add to My Card' }).waitFor();
    expect(await page.locator('.card-face-name').textContent()).toBe('Demo Mart');
    await shot(page, '13a-back-from-confirm');
    await page.goForward();
    await page.getByRole('heading', { name: 'Add this card?' }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('token')).toBe(token);

    await page.getByRole('button', { name: 'Don’t add' }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'Card not added' });
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('You chose not to add the card. Nothing was added.');
    expect(page.url()).not.toContain('token=');
    await shot(page, '13b-dont-add-cancelled');

    // The binding is cancelled on the platform: the same completion token can no longer complete it.
    const replay = await page.request.post(`${stack.platformUrl}/v1/bindings/complete`, {
      data: { token, channelId: stack.demoMart.channelId, status: 'SUCCESS' },
    });
    expect(((await replay.json()) as { returnCode: string }).returnCode).toBe('3003');

    await page.getByRole('link', { name: 'Back to My cards' }).click();
    await page.getByRole('heading', { name: 'No cards yet' }).waitFor();
    await shot(page, '13c-wallet-still-empty');
  });

  it('step 6: a hijack — A’s merchant link completed in B’s browser — is refused clearly', async () => {
    // Alice starts adding the card again; the merchant sends her browser back with a completion token…
    await page.getByRole('link', { name: 'Add card' }).click();
    await page.getByRole('link', { name: /Demo Mart/ }).click();
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.merchantUrl));
    await page.locator('#apply').click();
    // The preview (merchant, masked code) consumes nothing: the link in the address bar is still live.
    await page.getByRole('heading', { name: 'Add this card?' }).waitFor({ timeout: 15_000 });
    const stolen = page.url();
    expect(stolen).toContain('status=SUCCESS');

    // …but the link is opened by Bob, signed in to his own wallet (dark mode, Japanese).
    const bobPage = await bob.newPage();
    await bobPage.goto(`${stack.platformUrl}/wallet/`);
    await bobPage.getByRole('button', { name: 'Bob として続ける' }).click();
    await bobPage.getByRole('heading', { name: 'マイカード' }).first().waitFor();
    await shot(bobPage, '14-bob-wallet-ja-dark');
    await bobPage.goto(stolen);
    const alert = bobPage.getByRole('alert');
    await alert.waitFor();
    const refusal = await alert.textContent();
    expect(refusal).toContain('別のアカウントまたは別のブラウザ');
    expect(refusal).toMatch(/サポート参照番号：3007-/);
    await shot(bobPage, '15-hijack-refused');

    // Bob holds no card; Alice, in her own browser, can still add her own — with her own code.
    await bobPage.goto(`${stack.platformUrl}/wallet/`);
    await bobPage.getByRole('heading', { name: 'カードはまだありません' }).waitFor();
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.getByRole('link', { name: 'View card' }).click();
    const barcode = await waitForBarcode(page, /^Membership code \d{13}$/);
    expect(await barcode.getAttribute('aria-label')).toBe(`Membership code ${memberCode}`);
    await shot(page, '16-alice-card-after-hijack-attempt');
  });

  it('step 7: an XSS payload in a program’s detail content renders as text', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${stack.platformUrl}/wallet/add?q=bakery`);
    await page.getByRole('link', { name: /Bakery/ }).click();
    const detail = page.locator('.detail');
    await detail.waitFor();
    const text = await detail.textContent();
    expect(text).toContain(XSS_PAYLOAD);
    expect(text).toContain('<a href="javascript:window.__xss=3">free bread</a>');
    expect(await page.locator('.card-face-name').textContent()).toBe('Bakery <b>Bold</b> "Quotes"');
    expect(await page.locator('.detail img, .detail script, .detail svg, .card-face b').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await detail.scrollIntoViewIfNeeded();
    await shot(page, '17-xss-as-text');
  });

  it('step 8: a program page opens by deep link; an unknown one is “not found”', async () => {
    await page.goto(`${stack.platformUrl}/wallet/add/${stack.demoMart.channelId}`);
    await page.getByText('In your wallet').waitFor();
    expect(await page.locator('.card-face-name').textContent()).toBe('Demo Mart');
    await page.goto(`${stack.platformUrl}/wallet/add/9999999999`);
    await page.getByRole('alert').filter({ hasText: 'We couldn’t find that.' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('4004-');
  });

  it('step 9: a custom detail page opens with a fresh signed card context', async () => {
    // The Demo Mart owner (registered by startStack) switches the detail to a page on the merchant's site.
    const owner = consoleClient(stack.platformUrl);
    await owner.call('POST', '/v1/console/session', stack.consoleLogin);
    await owner.call('PATCH', `/v1/console/programs/${stack.demoMart.channelId}`, {
      detail: { kind: 'custom', url: `${stack.merchantUrl}/member?from=wallet` },
    });

    await page.goto(`${stack.platformUrl}/wallet/`);
    await page.getByRole('link', { name: /Demo Mart/ }).click();
    await page.locator('.code-panel').waitFor();
    const bindingId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const open = page.getByRole('button', { name: 'Open the card’s page' });
    await open.scrollIntoViewIfNeeded();
    await shot(page, '18-card-custom-detail');
    const detailLinks: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/detail-link')) detailLinks.push(r.method());
    });
    await open.click();
    await page.waitForURL((url) => url.href.startsWith(`${stack.merchantUrl}/member`), { timeout: 15_000 });
    expect(detailLinks).toEqual(['POST']);
    await shot(page, '19-merchant-page-with-context');

    const landed = new URL(page.url());
    expect(landed.searchParams.get('from')).toBe('wallet');
    const context = landed.searchParams.get('context') ?? '';
    expect(decodeProtectedHeader(context)).toMatchObject({ alg: 'ES256', typ: 'mycard-card-context+jwt' });
    const jwks = createRemoteJWKSet(new URL(`${stack.platformUrl}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(context, jwks, {
      issuer: stack.platformUrl,
      audience: stack.demoMart.channelId,
      typ: 'mycard-card-context+jwt',
      algorithms: ['ES256'],
    });
    expect(payload).toMatchObject({ bindingId, membershipCode: memberCode });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);

    // Back in the wallet, the page opens again with a new context (each tap signs anew).
    await page.goBack();
    await page.getByRole('button', { name: 'Open the card’s page' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stack.merchantUrl}/member`), { timeout: 15_000 });
    const again = new URL(page.url()).searchParams.get('context');
    expect(again).toBeTruthy();
    expect(again).not.toBe(context);
    expect(detailLinks).toEqual(['POST', 'POST']);
  });
});
