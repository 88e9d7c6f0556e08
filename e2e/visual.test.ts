import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import { builtIndexHtml } from './helpers/build-web.js';
import { ROOT } from './helpers/processes.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * Visual baselines (issue 11 item 17): the key screens — the wallet's card, confirm and My Code,
 * the till, the console's program form — in light and dark, in English and zh-TW, compared with the
 * committed PNGs in e2e/baselines/ (pixelmatch, per-pixel threshold 0.1, at most 0.5 % of the
 * pixels may differ: font hinting and anti-aliasing, never a changed layout or colour). A change in
 * how the product looks fails here and shows in review as changed PNGs.
 *
 * Update after an intended change: `MYCARD_UPDATE_BASELINES=1 npx vitest run e2e/visual.test.ts`,
 * look at the new files, commit them. On a failure the screen and its diff are written to
 * test-results/visual/ (`<name>.actual.png`, `<name>.diff.png`).
 *
 * Deterministic screens: phone viewport 390×844 at 1× (small files), fixed demo data (the suite's
 * program colours, logo and texts; a new member with 0 points), the browser clock fixed, animations
 * and the caret off, and what is random per run (member codes, one-time keys, order and channel
 * ids, countdowns) masked with a solid box. Fonts are Debian's (fonts-noto-cjk, fonts-thai-tlwg,
 * as .ci/run installs them).
 */
const BASELINES = join(ROOT, 'e2e', 'baselines');
const RESULTS = join(ROOT, 'test-results', 'visual');
const UPDATE = process.env.MYCARD_UPDATE_BASELINES === '1';
const MAX_DIFF_RATIO = 0.005;
const FIXED_TIME = new Date('2026-03-02T09:30:00+08:00');
const MASK = '#ff00ff';

const VARIANTS = [
  { id: 'en-light', locale: 'en-US', colorScheme: 'light' },
  { id: 'en-dark', locale: 'en-US', colorScheme: 'dark' },
  { id: 'zh-TW-light', locale: 'zh-TW', colorScheme: 'light' },
  { id: 'zh-TW-dark', locale: 'zh-TW', colorScheme: 'dark' },
] as const;
type Variant = (typeof VARIANTS)[number];

let stack: Stack;
let browser: Browser;
let owner: BrowserContext;
const contexts = new Map<string, BrowserContext>();
let confirmUrl = '';

async function phone(variant: Variant, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    colorScheme: variant.colorScheme,
    locale: variant.locale,
    timezoneId: 'Asia/Taipei',
    reducedMotion: 'reduce',
    ...(storageState ? { storageState } : {}),
  });
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.clock.setFixedTime(FIXED_TIME);
  return page;
}

/**
 * Compares what `page` shows with e2e/baselines/<name>.png (or writes it when updating); returns
 * the problem, if any (the screen and the diff are then in test-results/visual/).
 */
async function compare(page: Page, name: string, mask: Locator[] = []): Promise<string | undefined> {
  await page.evaluate(() => document.fonts.ready);
  const shot = await page.screenshot({
    animations: 'disabled',
    caret: 'hide',
    mask,
    maskColor: MASK,
    scale: 'css',
  });
  const file = join(BASELINES, `${name}.png`);
  if (UPDATE) {
    mkdirSync(BASELINES, { recursive: true });
    writeFileSync(file, shot);
    return undefined;
  }
  mkdirSync(RESULTS, { recursive: true });
  if (!existsSync(file)) {
    writeFileSync(join(RESULTS, `${name}.actual.png`), shot);
    return `${name}: no baseline (MYCARD_UPDATE_BASELINES=1 writes it; commit it)`;
  }
  const actual = PNG.sync.read(shot);
  const expected = PNG.sync.read(readFileSync(file));
  if (actual.width !== expected.width || actual.height !== expected.height) {
    writeFileSync(join(RESULTS, `${name}.actual.png`), shot);
    return `${name}: ${actual.width}×${actual.height}, baseline ${expected.width}×${expected.height}`;
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, {
    threshold: 0.1,
  });
  const ratio = differing / (actual.width * actual.height);
  if (ratio > MAX_DIFF_RATIO) {
    writeFileSync(join(RESULTS, `${name}.actual.png`), shot);
    writeFileSync(join(RESULTS, `${name}.diff.png`), PNG.sync.write(diff));
    return `${name}: ${(ratio * 100).toFixed(2)} % of the pixels differ (at most ${MAX_DIFF_RATIO * 100} %)`;
  }
  return undefined;
}

/** Runs `each` for every variant and expects no screen to differ from its baseline. */
async function everyVariant(each: (variant: Variant) => Promise<string | undefined>): Promise<void> {
  const problems: string[] = [];
  for (const variant of VARIANTS) {
    const problem = await each(variant);
    if (problem) problems.push(problem);
  }
  expect(problems, 'after an intended change: MYCARD_UPDATE_BASELINES=1 (see e2e/visual.test.ts)').toEqual(
    [],
  );
}

beforeAll(async () => {
  builtIndexHtml('wallet');
  builtIndexHtml('console');
  stack = await startStack();
  browser = await launchChromium(['--font-render-hinting=none', '--disable-font-subpixel-positioning']);

  // One wallet user (Alice; the merchant knows her as Vera Chen) reaches the confirm screen of adding Demo Mart; the other variants are
  // the same browser profile (cookies and storage) in another scheme and language.
  owner = await phone(VARIANTS[0]);
  const page = await newPage(owner);
  await page.goto(`${stack.platformUrl}/wallet/`);
  await page.getByRole('button', { name: 'Continue as Alice' }).click();
  await page.getByRole('link', { name: 'Add a card' }).click();
  await page.getByRole('link', { name: /Demo Mart/ }).click();
  await page.getByRole('button', { name: 'Add to My Card' }).click();
  await page.waitForURL((url) => url.href.startsWith(stack.merchantUrl), { timeout: 15_000 });
  await page.fill('#signup-name', 'Vera Chen');
  await page.fill('#signup-id', 'vera@example.test');
  await page.fill('#signup-password', 'vera-password-123');
  await page.locator('form:has(#signup-name) button[type=submit]').click();
  await page.waitForURL(/\/wallet\/bindings\/callback|\/mycard\/bind/);
  if (page.url().startsWith(stack.merchantUrl)) await page.locator('#apply').click();
  await page.getByRole('heading', { name: 'Add this card?' }).waitFor({ timeout: 15_000 });
  confirmUrl = page.url();
  await page.close();
  const state = await owner.storageState();
  contexts.set(VARIANTS[0].id, owner);
  for (const variant of VARIANTS.slice(1)) contexts.set(variant.id, await phone(variant, state));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const ctx = (variant: Variant) => {
  const context = contexts.get(variant.id);
  if (!context) throw new Error(`no context ${variant.id}`);
  return context;
};

describe('visual baselines (phone, light/dark, en/zh-TW)', () => {
  it('wallet: the confirm screen', { timeout: 120_000 }, async () => {
    await everyVariant(async (variant) => {
      const page = await newPage(ctx(variant));
      await page.goto(confirmUrl);
      await page.locator('.card-face-masked').waitFor({ timeout: 15_000 });
      await page.locator('.card-face img.logo').waitFor();
      const problem = await compare(page, `wallet-confirm-${variant.id}`, [
        page.locator('.card-face-masked .mono'),
      ]);
      await page.close();
      return problem;
    });
    // Alice adds the card (in the first variant) for the next screens.
    const page = await newPage(owner);
    await page.goto(confirmUrl);
    await page.getByRole('button', { name: 'Add to My Card' }).click();
    await page.getByRole('heading', { name: 'Card added' }).waitFor();
    await page.close();
  });

  it('wallet: the card', { timeout: 120_000 }, async () => {
    await everyVariant(async (variant) => {
      const page = await newPage(ctx(variant));
      await page.goto(`${stack.platformUrl}/wallet/`);
      await page.locator('a.card-link, a:has(.card-face)').first().click();
      await page.locator('canvas[data-ready="true"]').first().waitFor({ timeout: 15_000 });
      await page.locator('.card-face img.logo').waitFor();
      const problem = await compare(page, `wallet-card-${variant.id}`, [
        page.locator('.code-panel canvas'),
        page.locator('.code-text'),
      ]);
      await page.close();
      return problem;
    });
  });

  it('wallet: My Code', { timeout: 120_000 }, async () => {
    await everyVariant(async (variant) => {
      const page = await newPage(ctx(variant));
      await page.goto(`${stack.platformUrl}/wallet/mycode`);
      await page.locator('.mycode canvas[data-ready="true"]').first().waitFor({ timeout: 15_000 });
      await page.locator('.qr-wrap [data-ready]').waitFor();
      const problem = await compare(page, `wallet-mycode-${variant.id}`, [
        page.locator('.mycode canvas'),
        page.locator('.qr-wrap'),
        page.locator('.code-text'),
        page.locator('.countdown'),
      ]);
      await page.close();
      return problem;
    });
  });

  it('till: the sale form', { timeout: 120_000 }, async () => {
    await everyVariant(async (variant) => {
      const page = await newPage(ctx(variant));
      await page.goto(`${stack.merchantUrl}/pos`);
      if (await page.locator('#username').isVisible()) {
        await page.fill('#username', stack.demoLogins.operator.username);
        await page.fill('#password', stack.demoLogins.operator.password);
        await page.locator('form:has(#username) button[type=submit]').click();
      }
      await page.locator('#code').waitFor();
      const problem = await compare(page, `till-${variant.id}`);
      await page.close();
      return problem;
    });
  });

  it('console: the program form', { timeout: 120_000 }, async () => {
    await everyVariant(async (variant) => {
      const page = await newPage(ctx(variant));
      await page.goto(`${stack.platformUrl}/console/#/programs/${stack.demoMart.channelId}`);
      // Signed in already (this variant's profile) or the sign-in form: whichever shows first.
      await page.locator('.program-form, #auth-email').first().waitFor({ timeout: 30_000 });
      if (await page.locator('#auth-email').isVisible()) {
        await page.fill('#auth-email', stack.consoleLogin.email);
        await page.fill('#auth-password', stack.consoleLogin.password);
        await page.locator('form button[type=submit]').click();
      }
      await page.locator('.program-form').waitFor();
      await page.locator('img.head-logo').waitFor();
      const problem = await compare(page, `console-program-${variant.id}`, [
        page.locator('.program-sub .mono'),
      ]);
      await page.close();
      return problem;
    });
  });
});
