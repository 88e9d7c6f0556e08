import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../apps/wallet/test/helpers/decode-barcode.js';
import { defined } from '../test-support/defined.js';
import { launchChromium, newPhone, shot } from './helpers/browser.js';
import { builtIndexHtml } from './helpers/build-web.js';
import { type FakeLine, startFakeLine } from './helpers/fake-line.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * The wallet in LINE mode (LIFF), end to end (issue 11 item 16): the platform runs with
 * MYCARD_IDENTITY=line and verifies ID tokens against a local fake LINE issuer; the browser gets
 * LINE (the LIFF SDK, LINE Login, the token endpoint, LIFF URLs) from the test's fake, which speaks
 * the same protocol. Nothing leaves the machine: every other off-machine request is aborted and the
 * test checks there was none.
 */
const SHOTS = 'test-results/e2e-line';
const TARO = { sub: 'U4af4980629a1b2c3d4e5f60718293a4b', name: 'Taro Yamada' };

let line: FakeLine;
let stack: Stack;
let browser: Browser;
let phone: BrowserContext;
let page: Page;

beforeAll(async () => {
  builtIndexHtml('wallet');
  line = await startFakeLine();
  stack = await startStack({
    env: {
      MYCARD_IDENTITY: 'line',
      MYCARD_LINE_LIFF_ID: line.liffId,
      MYCARD_LINE_CHANNEL_ID: line.channelId,
      MYCARD_LINE_JWKS_URL: line.jwksUrl,
    },
  });
  browser = await launchChromium();
  phone = await newPhone(browser);
  await line.serve(phone, { endpointUrl: `${stack.platformUrl}/wallet/`, user: TARO });
  page = await phone.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await line?.close();
});

describe('wallet e2e in LINE mode (LIFF)', () => {
  it('opening the wallet logs in with LINE; the platform accepts the ID token as line:<sub>', {
    timeout: 90_000,
  }, async () => {
    await page.goto(`${stack.platformUrl}/wallet/`);
    await page.getByRole('heading', { name: 'No cards yet' }).waitFor({ timeout: 20_000 });
    expect(line.seen).toEqual(['login', 'token']);
    // LINE Login's code and state left the address bar.
    expect(new URL(page.url()).search).toBe('');
    const session = await page.evaluate(async () => (await fetch('/v1/session')).json());
    expect(session.info).toEqual({ userId: `line:${TARO.sub}`, displayName: TARO.name, identity: 'line' });
    // The dev sign-in does not exist in LINE mode.
    const dev = await page.request.post(`${stack.platformUrl}/v1/session/dev`, {
      data: { userId: 'mallory', displayName: 'M' },
    });
    expect(dev.status()).toBe(404);
    await shot(page, '01-line-wallet-empty', SHOTS);
  });

  it('adds the Demo Mart card: merchant pages → LIFF URL → callback in the LIFF app → card', {
    timeout: 90_000,
  }, async () => {
    await page.getByRole('link', { name: 'Add a card' }).click();
    await page.getByRole('link', { name: /Demo Mart/ }).click();
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.merchantUrl), { timeout: 15_000 });
    await page.locator('#signup-name').waitFor();
    await page.fill('#signup-name', 'Taro Yamada');
    await page.fill('#signup-id', 'taro@example.test');
    await page.fill('#signup-password', 'taro-password-123');
    await page.locator('form:has(#signup-name) button[type=submit]').click();
    // The merchant either shows its Apply button or sends the browser on by itself: wait for either
    // (the address matches /mycard/bind before the form's navigation has even started).
    const apply = page.locator('#apply');
    const confirm = page.getByRole('heading', { name: 'Add this card?' });
    await apply.or(confirm).first().waitFor({ timeout: 60_000 });
    if (await apply.isVisible()) await apply.click();
    await confirm.waitFor({ timeout: 60_000 });
    // LIFF's secondary redirect landed on the callback path; the session was kept (no second login).
    expect(new URL(page.url()).pathname).toBe('/wallet/bindings/callback');
    expect(line.seen).toEqual(['login', 'token', 'liff-url']);
    // The merchant sent the browser to the LIFF callback (PROTOCOL.md §4.2: the LIFF URL in LINE mode).
    const liffUrl = new URL(defined(line.liffUrls[0]));
    expect(liffUrl.origin + liffUrl.pathname).toBe(`https://liff.line.me/${line.liffId}/bindings/callback`);
    expect(liffUrl.searchParams.get('status')).toBe('SUCCESS');
    expect(liffUrl.searchParams.get('token')).toBe(new URL(page.url()).searchParams.get('token'));
    await shot(page, '02-line-confirm', SHOTS);
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.getByRole('heading', { name: 'Card added' }).waitFor();
    await page.getByRole('link', { name: 'View card' }).click();
    const barcode = page.getByRole('img', { name: /^Membership code \d{13}$/ });
    await barcode.and(page.locator('canvas[data-ready="true"]')).waitFor({ timeout: 15_000 });
    const code = ((await barcode.getAttribute('aria-label')) ?? '').replace('Membership code ', '');
    expect(decodePng(await barcode.screenshot())).toEqual({ text: code, format: 'EAN_13' });
    await shot(page, '03-line-card', SHOTS);

    // The merchant holds the same code for its new member.
    const member = await phone.newPage();
    await member.goto(`${stack.merchantUrl}/member`);
    expect((await member.locator('body').textContent())?.replace(/\D/g, '')).toContain(code);
    await member.close();
  });

  it('a new page load reuses the session for the same LINE user (no new login); nothing left the machine', {
    timeout: 90_000,
  }, async () => {
    await page.goto(`${stack.platformUrl}/wallet/`);
    await page.getByRole('link', { name: /Demo Mart/ }).waitFor();
    expect(line.seen).toEqual(['login', 'token', 'liff-url']);
    expect(line.escaped).toEqual([]);
  });
});
