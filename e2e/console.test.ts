import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMyCardClient } from '@mycard/merchant';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, WalletClient } from '../apps/platform/test/helpers/http-platform.js';
import { startRecorder, until } from '../apps/platform/test/webhooks/webhook-receiver.js';
import { defined } from '../test-support/defined.js';
import { freePort } from '../test-support/free-port.js';
import { launchChromium } from './helpers/browser.js';
import { builtIndexHtml } from './helpers/build-web.js';
import { ROOT, type Running, startProcess, waitForHttp } from './helpers/processes.js';

/**
 * The merchant console end to end (issue #4, step 1 and the console half of step 7), in Debian's
 * chromium against the platform started as a real process: an operator signs up, registers a
 * program with a logo and code type EAN13, and takes it live; an XSS payload saved in a program's
 * detail content shows as text in the console's preview. Screenshots of every screen, on a phone
 * (390×844) and a desktop (1280×800), go to test-results/console/.
 */
const SHOTS = join(ROOT, 'test-results', 'console');
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
/** Fits the 64-character program name. */
const XSS_NAME = '<b>Bakery</b><img src=x onerror="window.__xss=5">';

let platform: Running;
let dataDir: string;
let platformUrl: string;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
let channelId = '';

/** A wide PNG (the console crops it to a square): a white card on `hex`. */
function makeLogo(hex: string, width = 480, height = 320): Buffer {
  const png = new PNG({ width, height });
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const white = Math.hypot(x - width / 2, y - height / 2) < height / 4;
      png.data[i] = white ? 255 : defined(r);
      png.data[i + 1] = white ? 255 : defined(g);
      png.data[i + 2] = white ? 255 : defined(b);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

async function shot(p: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await p.waitForTimeout(150); // let the barcode canvases draw
  // A full-page capture would paint the sticky bars mid-page: pin them for the capture (CSSOM,
  // which the CSP allows), then restore.
  const sticky = '.topbar, .submit-bar, .preview-sticky';
  await p.evaluate((selector) => {
    document.querySelectorAll<HTMLElement>(selector).forEach((el) => {
      el.style.position = 'static';
    });
  }, sticky);
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await p.evaluate((selector) => {
    document.querySelectorAll<HTMLElement>(selector).forEach((el) => {
      el.style.position = '';
    });
  }, sticky);
}

/** A console API call from the page's own origin, with its session cookie (as the app makes them). */
async function api<T>(p: Page, method: string, path: string, body?: unknown): Promise<T> {
  return p.evaluate(
    async ({ method, path, body }) => {
      const response = await fetch(path, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const envelope = await response.json();
      if (envelope.returnCode !== '0000') throw new Error(`${method} ${path}: ${JSON.stringify(envelope)}`);
      return envelope.info;
    },
    { method, path, body },
  ) as Promise<T>;
}

function watchForXss(p: Page) {
  p.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
}

beforeAll(async () => {
  const html = builtIndexHtml('console');
  // The CSP allows no inline script: the built page must load only external module scripts.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attrs, body] of scripts) {
    expect(attrs).toMatch(/\bsrc="\/console\/assets\//);
    expect(defined(body).trim()).toBe('');
  }
  dataDir = mkdtempSync(join(tmpdir(), 'mycard-console-e2e-'));
  const port = await freePort();
  platformUrl = `http://127.0.0.1:${port}`;
  platform = startProcess('platform', ['apps/platform/bin/mycard.js', 'platform'], {
    MYCARD_PORT: String(port),
    MYCARD_PUBLIC_URL: platformUrl,
    MYCARD_DATA_DIR: dataDir,
    MYCARD_IDENTITY: 'dev',
    MYCARD_LOG_LEVEL: 'warn',
    MYCARD_WEBHOOK_POLL_MS: '200',
  });
  await waitForHttp(platform, `${platformUrl}/console/`);
  browser = await launchChromium();
  phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
  });
  page = await phone.newPage();
  page.setDefaultTimeout(10_000);
  watchForXss(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('console (issue #4 step 1): register a program with a logo and EAN13, take it live', () => {
  it('serves the console with a strict CSP', async () => {
    const response = await fetch(`${platformUrl}/console/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('an operator signs up', async () => {
    await page.goto(`${platformUrl}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(page, 'phone-01-sign-in');
    await page.getByRole('link', { name: /Create an account/ }).click();
    await page.getByLabel('Your name').fill('Mei Lin');
    await page.getByLabel('E-mail').fill('mei@demo-mart.test');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await shot(page, 'phone-02-sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'No programs yet' }).waitFor();
    await shot(page, 'phone-03-programs-empty');
  });

  it('fills in a new program, with the form saying no before the server does', async () => {
    await page
      .getByRole('link', { name: /New program/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'New program' }).waitFor();
    await page.getByLabel('Program name').fill('Demo Mart');

    // A file that is not an image is refused in the browser.
    const logoInput = page.locator('input[type="file"]');
    await logoInput.setInputFiles({
      name: 'logo.gif',
      mimeType: 'image/gif',
      buffer: Buffer.from('GIF89a\x01\x00\x01\x00'),
    });
    await page.getByText('This file is not a PNG, JPEG or WebP image.').waitFor();
    // A wide PNG is cropped to a square and scaled to 256×256 before upload.
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makeLogo('#0f766e') });
    await page.getByText(/Ready: .* 256×256 px/).waitFor();

    await page.getByRole('radio', { name: 'EAN-13' }).check();
    await page.getByRole('img', { name: 'EAN-13: 4901234567894' }).first().waitFor();

    const bindingUrl = page.getByLabel('Binding website URL');
    await bindingUrl.fill('http://shop.example/bind');
    await bindingUrl.blur();
    await page.getByText('Use https:// (http:// only for localhost).').waitFor();
    await bindingUrl.fill('https://shop.example/mycard/bind');
    await page.getByLabel('Webhook URL').fill('https://shop.example/mycard/webhook');
    await page.getByLabel('Description').fill('Your neighbourhood grocery. Collect points on every visit.');
    await page.getByLabel('Benefits').fill('1 point for every NT$100.\nMembers-only prices every weekend.');
    await page.getByLabel('Contact').fill('help@demo-mart.test');
    await page.getByRole('button', { name: /Add link/ }).click();
    await page.getByLabel('Label').fill('Store locator');
    await page.getByLabel('URL', { exact: true }).fill('https://demo-mart.example/stores');
    await page.getByLabel('Tester wallet user IDs').fill('dev:alice');
    await shot(page, 'phone-04-new-program');
  });

  it('registers it: the channel id and the secret are shown once', async () => {
    await page.getByRole('button', { name: 'Register program' }).click();
    await page.getByRole('heading', { name: 'Save your channel secret now' }).waitFor();
    channelId = defined(await page.getByTestId('channel-id').textContent()).trim();
    expect(channelId).toMatch(/^\d{10}$/);
    expect(defined(await page.getByTestId('channel-secret').textContent()).trim()).toMatch(/^[0-9a-f]{64}$/);
    await expect(page.getByRole('link', { name: /Open the wallet/ }).getAttribute('href')).resolves.toBe(
      `/wallet/add/${channelId}`,
    );
    await shot(page, 'phone-05-credentials');

    const details = await api<{ program: { codeType: string; logoUrl: string | null; status: string } }>(
      page,
      'GET',
      `/v1/console/programs/${channelId}`,
    );
    expect(details.program).toMatchObject({ codeType: 'EAN13', status: 'DRAFT' });
    expect(details.program.logoUrl).toBeTruthy();
    const logo = await fetch(`${platformUrl}/v1/programs/${channelId}/logo`);
    expect(logo.status).toBe(200);
    const png = PNG.sync.read(Buffer.from(await logo.arrayBuffer()));
    expect([png.width, png.height]).toEqual([256, 256]);
  });

  it('shows the integration guide filled with the channel id', async () => {
    await page.getByRole('link', { name: 'Integration guide' }).click();
    await page.getByRole('heading', { name: 'The binding flow' }).waitFor();
    await expect(
      page
        .locator('pre')
        .filter({ hasText: `channelId: '${channelId}'` })
        .count(),
    ).resolves.toBeGreaterThan(0);
    await shot(page, 'phone-06-guide');
  });

  it('takes the program live', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByText('Take “Demo Mart” live?').waitFor();
    await shot(page, 'phone-07-confirm-live');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Go live' }).click();
    await page.locator('.status-panel .badge-live').waitFor();
    await shot(page, 'phone-08-settings-live');
    await page.getByRole('link', { name: /All programs/ }).click();
    const tile = page.locator('.program-tile', { hasText: 'Demo Mart' });
    await tile.locator('.badge-live').waitFor();
    await expect(tile.textContent()).resolves.toContain('0 cards');
    await shot(page, 'phone-09-programs');
  });

  it('lists webhook deliveries with their last answer, and resends one (issue 9.4)', {
    timeout: 90_000,
  }, async () => {
    const receiver = await startRecorder();
    try {
      receiver.setStatus(500);
      await api(page, 'PATCH', `/v1/console/programs/${channelId}`, { webhookUrl: receiver.url });
      const { channelSecret } = await api<{ channelSecret: string }>(
        page,
        'POST',
        `/v1/console/programs/${channelId}/secret/reveal`,
        {},
      );
      // A shopper adds the card: the platform sends card.completed, which the merchant refuses (500).
      const wallet = new WalletClient(platformUrl);
      expect(
        (await wallet.post('/v1/session/dev', { userId: 'hook-shopper', displayName: 'Hook' })).status,
      ).toBe(200);
      const reserved = await wallet.reserve(channelId);
      const merchant = createMyCardClient({ baseUrl: platformUrl, channelId, channelSecret, maxRetries: 0 });
      const applied = await merchant.apply({ token: reserved.token, membershipCode: code(4242) });
      const done = await wallet.post('/v1/bindings/complete', {
        token: applied.completionToken,
        channelId,
        status: 'SUCCESS',
      });
      expect(done.status).toBe(200);
      await until(() => receiver.requests() >= 1, 20_000);

      await page.goto(`${platformUrl}/console/#/programs/${channelId}/webhooks`);
      await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
      const row = page.getByTestId('webhook-delivery').filter({ hasText: 'card.completed' });
      // The attempt's outcome is written just after the answer: refresh until the row shows it.
      await until(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return /HTTP 500/.test((await row.textContent().catch(() => '')) ?? '');
      }, 20_000);
      expect(await row.getAttribute('data-state')).toBe('pending');
      await expect(row.textContent()).resolves.toContain('Retrying');
      const eventId = defined((await row.locator('.delivery-id').textContent())?.trim());
      expect(eventId).toMatch(/^evt_/);
      await shot(page, 'phone-10-webhooks-retrying');

      // The merchant is fixed; the operator resends now rather than waiting for the next retry.
      receiver.setStatus(200);
      await row.getByRole('button', { name: 'Resend' }).click();
      await page.getByText(`${eventId} is queued to be sent again now.`).waitFor();
      await until(() => receiver.events.some((e) => e.id === eventId), 20_000);
      await until(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await row.getAttribute('data-state').catch(() => null)) === 'delivered';
      }, 20_000);
      await expect(row.textContent()).resolves.toContain('HTTP 200');
      await shot(page, 'phone-11-webhooks-delivered');

      // A delivered event can be resent too: the merchant receives the same event id again.
      await row.getByRole('button', { name: 'Resend' }).click();
      await until(() => receiver.events.filter((e) => e.id === eventId).length === 2, 20_000);
      expect(receiver.events.filter((e) => e.id === eventId).map((e) => e.type)).toEqual([
        'card.completed',
        'card.completed',
      ]);
    } finally {
      await receiver.close();
      await page.goto(`${platformUrl}/console/#/programs`);
    }
  });
});

describe('console: a session that ends during an edit (issue 11 item 12)', () => {
  it('Save after the session ended keeps the draft, says why on Sign in, and restores it after signing in', async () => {
    await page.goto(`${platformUrl}/console/#/programs`);
    await page.locator('.program-tile', { hasText: 'Demo Mart' }).click();
    await page.getByLabel('Description').waitFor();
    const channelId = defined(page.url().match(/programs\/(\d{10})/)?.[1]);
    const edited = 'Fresh bread every morning. Kept across a sign-in.';
    await page.getByLabel('Description').fill(edited);
    // The session ends (expired, or signed out elsewhere): the browser no longer holds it.
    await phone.clearCookies();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const notice = page
      .getByRole('status')
      .filter({ hasText: 'Your session ended before your changes were saved' });
    await notice.waitFor();
    await shot(page, 'phone-11-session-ended-draft-kept');

    await page.getByLabel('E-mail').fill('mei@demo-mart.test');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back on the program's form, with the edit restored and saying so.
    await page.getByText('Your unsaved changes from before you signed in again are back.').waitFor();
    await expect(page.getByLabel('Description').inputValue()).resolves.toBe(edited);
    await shot(page, 'phone-12-draft-restored');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await api<{ program: { detail: { description?: string } } }>(
      page,
      'GET',
      `/v1/console/programs/${channelId}`,
    );
    expect(saved.program.detail.description).toBe(edited);
    // Saved: the kept copy is gone (a later visit shows the saved program, no restore notice).
    await page.reload();
    await page.getByLabel('Description').waitFor();
    await expect(page.getByText('Your unsaved changes from before').count()).resolves.toBe(0);
  });

  it('“Create an account” after a failed sign-in shows neither the session message nor the password', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail').fill('mei@demo-mart.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The e-mail or password is not right.' }).waitFor();
    await page.getByRole('link', { name: /Create an account/ }).click();
    await page.getByRole('heading', { name: 'Create an operator account' }).waitFor();
    await expect(page.getByText('Your session has ended').count()).resolves.toBe(0);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('E-mail').inputValue()).resolves.toBe('mei@demo-mart.test');
    await shot(page, 'phone-13-sign-up-after-failed-sign-in');
    await page.getByRole('link', { name: /Have an account\? Sign in/ }).click();
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your programs' }).waitFor();
  });
});

describe('console (issue #4 step 7, console half): merchant strings render as text', () => {
  it('shows an XSS payload saved in the detail content as text in the preview', async () => {
    const created = await api<{ program: { channelId: string } }>(page, 'POST', '/v1/console/programs', {
      name: XSS_NAME,
      codeType: 'QRCODE',
      bindingUrl: 'https://bakery.example/bind',
      colors: { background: '#7c2d12', foreground: '#fff7ed' },
      detail: {
        kind: 'template',
        description: XSS,
        benefits: '<a href="javascript:window.__xss=3">free bread</a>',
        terms: '"><svg onload=window.__xss=4>',
        contact: "javascript:alert('x')",
        links: [{ label: '<b>menu</b>', url: 'https://bakery.example/menu' }],
      },
    });
    const id = created.program.channelId;
    await page.goto(`${platformUrl}/console/#/programs/${id}`);
    const preview = page.getByTestId('detail-preview');
    await preview.waitFor();
    await expect(preview.textContent()).resolves.toContain(XSS);
    await expect(preview.textContent()).resolves.toContain(
      '<a href="javascript:window.__xss=3">free bread</a>',
    );
    await expect(preview.textContent()).resolves.toContain('"><svg onload=window.__xss=4>');
    await expect(page.locator('h1').textContent()).resolves.toBe(XSS_NAME);
    // Nothing of the payload became markup: no injected elements, no script ran.
    await expect(page.locator('img[src="x"], svg[onload], script:not([src])').count()).resolves.toBe(0);
    await expect(preview.locator('a[href^="javascript:"]').count()).resolves.toBe(0);
    await expect(preview.getByRole('link', { name: '<b>menu</b>' }).getAttribute('href')).resolves.toBe(
      'https://bakery.example/menu',
    );
    await page.goto(`${platformUrl}/console/#/programs`);
    await page.locator('.program-tile', { hasText: 'Bakery' }).waitFor();
    await page.waitForTimeout(300);
    await expect(page.evaluate(() => (window as { __xss?: number }).__xss)).resolves.toBeUndefined();
    await page.goto(`${platformUrl}/console/#/programs/${id}`);
    await page.getByTestId('detail-preview').waitFor();
    await shot(page, 'phone-10-xss-as-text');
  });
});

describe('console screens at other sizes, schemes and languages', () => {
  it('renders on a desktop (1280×800), in dark mode and in zh-TW', { timeout: 90_000 }, async () => {
    const cookies = await phone.cookies();
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await desktop.addCookies(cookies);
    const d = await desktop.newPage();
    watchForXss(d);
    await d.goto(`${platformUrl}/console/#/programs`);
    await d.locator('.program-tile').first().waitFor();
    await shot(d, 'desktop-01-programs');
    await d.goto(`${platformUrl}/console/#/programs/new`);
    await d.getByLabel('Program name').fill('Tea House');
    await d.getByRole('radio', { name: 'QR Code' }).check();
    await shot(d, 'desktop-02-new-program');
    await d.goto(`${platformUrl}/console/#/programs/${channelId}`);
    await d.locator('.status-panel').waitFor();
    await shot(d, 'desktop-03-settings');
    await d.goto(`${platformUrl}/console/#/programs/${channelId}/credentials`);
    await d.getByRole('button', { name: 'Reveal secret' }).click();
    await d.getByTestId('channel-secret').waitFor();
    await shot(d, 'desktop-04-credentials');
    await d.goto(`${platformUrl}/console/#/programs/${channelId}/guide`);
    await d.getByRole('heading', { name: 'The binding flow' }).waitFor();
    await shot(d, 'desktop-05-guide');
    await desktop.close();

    const dark = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      colorScheme: 'dark',
      locale: 'zh-TW',
    });
    await dark.addCookies(cookies);
    const z = await dark.newPage();
    watchForXss(z);
    await z.goto(`${platformUrl}/console/#/programs`);
    await z.getByRole('heading', { name: '您的方案' }).waitFor();
    await shot(z, 'phone-dark-zh-01-programs');
    await z.goto(`${platformUrl}/console/#/programs/${channelId}`);
    await z.locator('.status-panel').waitFor();
    await shot(z, 'phone-dark-zh-02-settings');
    await dark.close();
  });
});
