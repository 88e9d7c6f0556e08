import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from './processes.js';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's chromium, headless. Missing chromium is a failure with instructions, never a skip:
 * the suite must not pass by running nothing.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The e2e suite drives Debian's chromium at ${CHROMIUM}, which is missing. ` +
        'Install it with `apt-get install -y chromium` (never `npx playwright install`).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** A phone: 390×844 CSS pixels at 2×, touch, the given colour scheme and language. */
export function newPhone(
  browser: Browser,
  options: { colorScheme?: 'light' | 'dark'; locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
  });
}

export const SHOTS_DIR = join(ROOT, 'test-results', 'e2e-wallet');

/** Saves what the phone's screen shows as test-results/<dir>/<name>.png and returns its path. */
export async function shot(page: Page, name: string, dir = SHOTS_DIR): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}
