import { createMyCardClient } from '@mycard/merchant';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPhone, shot } from './helpers/browser.js';
import { type Stack, startStack, XSS_PAYLOAD } from './helpers/stack.js';

/**
 * The wallet's inbox (PROTOCOL.md §11) on a 390×844 phone: Demo Mart sends messages through the SDK;
 * the tab bar's badge counts the unread ones; a message shows its markup as text and offers only an
 * https link (the platform refuses others; the wallet checks again, see test/lib/safe-url); mute takes the card's messages out. Screenshots in test-results/e2e-inbox/.
 */
const DIR = 'test-results/e2e-inbox';
let stack: Stack;
let browser: Browser;
let page: Page;
let bindingId = '';

/** A JSON call from the wallet page itself (same origin, its cookies). */
async function walletCall(p: Page, method: string, path: string, body?: unknown) {
  return p.evaluate(
    async ([m, u, b]) => {
      const res = await fetch(u as string, {
        method: m as string,
        credentials: 'same-origin',
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return (await res.json()) as { returnCode: string; info?: Record<string, unknown> };
    },
    [method, path, body] as const,
  );
}

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack();
  page = await (await newPhone(browser)).newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('wallet inbox e2e', () => {
  it('a card of Demo Mart receives messages: the badge counts the unread ones', async () => {
    await page.goto(`${stack.platformUrl}/wallet/`);
    await page.getByRole('button', { name: 'Continue as Alice' }).click();
    await page.getByRole('heading', { name: 'No cards yet' }).waitFor();
    // Add the card through the protocol (the binding pages are the wallet suite's subject).
    const reserved = await walletCall(page, 'POST', '/v1/bindings', { channelId: stack.demoMart.channelId });
    const token = new URL(String(reserved.info?.redirectUrl)).searchParams.get('token') ?? '';
    const mycard = createMyCardClient({ baseUrl: stack.platformUrl, ...stack.demoMart, maxRetries: 0 });
    const applied = await mycard.apply({ token, membershipCode: '4901234567894' });
    const done = await walletCall(page, 'POST', '/v1/bindings/complete', {
      token: applied.completionToken,
      channelId: stack.demoMart.channelId,
      status: 'SUCCESS',
    });
    expect(done.returnCode).toBe('0000');
    bindingId = applied.bindingId;
    await mycard.sendMessage({
      bindingId,
      messageId: 'e2e-welcome',
      title: 'Welcome to Demo Mart',
      body: 'Thanks for joining. This message has no link.',
    });
    await mycard.sendMessage({
      bindingId,
      messageId: 'e2e-expiry',
      title: '120 points expire soon',
      body: `Use them before 31 March.\n${XSS_PAYLOAD}`,
      url: 'https://shop.example/member/points',
    });
    await page.reload();
    const badge = page.getByTestId('unread-badge');
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toBe('2');
    await page.getByRole('link', { name: /Inbox/ }).click();
    await page.locator('.message-row').nth(1).waitFor();
    expect(await page.locator('.message-row.unread').count()).toBe(2);
    await shot(page, '01-inbox', DIR);
  });

  it('a message shows its markup as text and offers its https link; opening it marks it read', async () => {
    await page.getByRole('link', { name: /120 points expire soon/ }).click();
    const body = page.getByTestId('message-body');
    await body.waitFor();
    expect(await body.textContent()).toBe(`Use them before 31 March.\n${XSS_PAYLOAD}`);
    expect(await page.locator('[data-testid=message] img, [data-testid=message] script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    const link = page.getByRole('link', { name: 'Open the link' });
    expect(await link.getAttribute('href')).toBe('https://shop.example/member/points');
    expect(await link.getAttribute('rel')).toContain('noreferrer');
    await expect.poll(() => page.getByTestId('unread-badge').textContent(), { timeout: 10_000 }).toBe('1');
    await shot(page, '02-message', DIR);
  });

  it('a message without a link offers none (http links are refused by the platform, and not opened by the wallet)', async () => {
    await page.getByRole('link', { name: 'Back' }).click();
    await page.getByRole('link', { name: /Welcome to Demo Mart/ }).click();
    await page.getByTestId('message-body').waitFor();
    expect(await page.getByRole('link', { name: 'Open the link' }).count()).toBe(0);
    await expect.poll(async () => page.getByTestId('unread-badge').count(), { timeout: 10_000 }).toBe(0);
  });

  it('mute takes the card’s messages out of the inbox; the card can unmute them', async () => {
    await page.getByRole('button', { name: 'Mute messages from Demo Mart' }).click();
    await page.getByRole('heading', { name: 'No messages' }).waitFor();
    await shot(page, '03-inbox-muted', DIR);
    await page.goto(`${stack.platformUrl}/wallet/cards/${bindingId}`);
    await expect
      .poll(() => page.getByTestId('mute-state').textContent())
      .toBe('Messages from this card are muted.');
    await page.getByRole('button', { name: 'Unmute' }).click();
    await expect
      .poll(() => page.getByTestId('mute-state').textContent())
      .toBe('Messages from this card are on.');
    await page.getByRole('link', { name: /Inbox/ }).click();
    await page.locator('.message-row').nth(1).waitFor();
  });
});
