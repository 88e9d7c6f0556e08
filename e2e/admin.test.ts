import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { launchChromium, newPhone, shot as phoneShot } from './helpers/browser.js';
import { builtIndexHtml, inlineScripts } from './helpers/build-web.js';
import { ROOT } from './helpers/processes.js';
import { consoleClient, makeLogo, type Stack, startStack } from './helpers/stack.js';

/**
 * Platform administration end to end (issue 14), in Debian's chromium on 390×844 phones, against
 * `npm start`'s launcher with review required: a platform administrator created by `mycard admin
 * create` signs in with the one-time link; an operator asks to take a program live and the
 * administrator approves it in the review screen; a LIVE program's revised logo reaches the shopper
 * only once approved (and at once, through the versioned logo URL); suspension pauses the
 * shopper's card and reinstating restores it; "report this card" reaches the reports queue and its
 * rate limit is said plainly; the figures page draws. Screenshots go to test-results/e2e-admin/.
 */
const SHOTS = join(ROOT, 'test-results', 'e2e-admin');
const shot = (p: Page, name: string) => phoneShot(p, name, SHOTS);
const TEAL = [15, 118, 110];
const RED = [185, 28, 28];

let stack: Stack;
let browser: Browser;
let adminPhone: BrowserContext;
let operatorPhone: BrowserContext;
let shopperPhone: BrowserContext;
let admin: Page;
let operator: Page;
let shopper: Page;
let cardUrl = '';

/** The colour of the top-left pixel of the first logo image on the page (the logo's background). */
async function logoColour(p: Page, selector: string): Promise<number[]> {
  const img = p.locator(selector).first();
  await img.waitFor();
  return img.evaluate(async (el) => {
    const image = el as HTMLImageElement;
    if (!image.complete)
      await new Promise((resolve) => image.addEventListener('load', resolve, { once: true }));
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const g = defined2(canvas.getContext('2d'));
    g.drawImage(image, 0, 0);
    return Array.from(g.getImageData(2, 2, 1, 1).data.slice(0, 3));
    function defined2<T>(x: T | null): T {
      if (x === null) throw new Error('no 2d context');
      return x;
    }
  });
}

/** Opens a review from the queue by its program name and returns when the review screen shows. */
async function openReview(name: string) {
  await admin.goto(`${stack.platformUrl}/console/#/admin/reviews`);
  await admin.reload(); // the queue as it is now (a hash already shown does not load again)
  await admin.getByRole('link', { name: `Review ${name}` }).click();
  await admin.getByRole('heading', { level: 1, name }).waitFor();
}

async function approveOpenReview() {
  await admin.getByRole('button', { name: 'Approve', exact: true }).click();
  await admin.getByText('Approved. The operator has been told.').waitFor();
}

beforeAll(async () => {
  for (const app of ['console', 'wallet'] as const) expect(inlineScripts(builtIndexHtml(app))).toEqual([]);
  browser = await launchChromium();
  stack = await startStack({ env: { MYCARD_PROGRAM_REVIEW: 'required', MYCARD_RATE_REPORTS_PER_DAY: '2' } });
  adminPhone = await newPhone(browser);
  operatorPhone = await newPhone(browser);
  shopperPhone = await newPhone(browser);
  admin = await adminPhone.newPage();
  operator = await operatorPhone.newPage();
  shopper = await shopperPhone.newPage();
  // A step that waits in vain fails naming what it waited for, well before the test's own timeout.
  for (const p of [admin, operator, shopper]) p.setDefaultTimeout(20_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('platform administration e2e', () => {
  it('an administrator from `mycard admin create` signs in once with the link; a second use is refused', {
    timeout: 120_000,
  }, async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'apps/platform/bin/mycard.js',
        'admin',
        'create',
        '--email',
        'boss@mycard.test',
        '--name',
        'Boss',
        '--json',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          MYCARD_DATA_DIR: stack.dataDir,
          MYCARD_PUBLIC_URL: stack.platformUrl,
          MYCARD_LOG_LEVEL: 'warn',
        },
      },
    );
    const { signInUrl } = JSON.parse(stdout) as { signInUrl: string };
    expect(signInUrl).toMatch(/\/console\/#\/sign-in-link\/[A-Za-z0-9_-]+$/);
    await admin.goto(signInUrl);
    await admin.getByRole('heading', { name: 'Platform administrator sign-in' }).waitFor();
    await shot(admin, '01-sign-in-link');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    expect(await admin.getByRole('link', { name: 'Admin' }).getAttribute('aria-current')).toBe('page');

    const again = await (await newPhone(browser)).newPage();
    await again.goto(signInUrl);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByText('This link was used already or has expired.', { exact: false }).waitFor();
    await again.context().close();
  });

  it('an operator sees no admin area; its API answers 4003', { timeout: 120_000 }, async () => {
    await operator.goto(`${stack.platformUrl}/console/#/signin`);
    await operator.getByLabel('E-mail').fill(stack.consoleLogin.email);
    await operator.getByLabel('Password').fill(stack.consoleLogin.password);
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByRole('heading', { name: 'Your programs' }).waitFor();
    expect(await operator.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await operator.goto(`${stack.platformUrl}/console/#/admin/reviews`);
    await operator.getByText('Only platform administrators can open this area.').waitFor();
    const code = await operator.evaluate(
      async () => (await (await fetch('/v1/console/admin/reviews')).json()).returnCode,
    );
    expect(code).toBe('4003');
  });

  it('an operator asks to go live; the administrator approves on the review screen; the operator is told', {
    timeout: 120_000,
  }, async () => {
    const created = await operator.evaluate(async (merchantUrl) => {
      const res = await fetch('/v1/console/programs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Corner Bakery',
          codeType: 'QRCODE',
          bindingUrl: `${merchantUrl}/mycard/bind`,
        }),
      });
      return (await res.json()).info.program.channelId as string;
    }, stack.merchantUrl);
    await operator.goto(`${stack.platformUrl}/console/#/programs/${created}`);
    await operator.getByRole('button', { name: 'Go live' }).click();
    await operator.getByRole('alertdialog').getByRole('button', { name: 'Go live' }).click();
    await operator.locator('.status-panel .badge', { hasText: 'In review' }).waitFor();
    await shot(operator, '02-operator-in-review');

    await openReview('Corner Bakery');
    await admin.getByRole('heading', { name: 'Organization' }).waitFor();
    expect(await admin.locator('.decision-panel').textContent()).toContain('goes live for every wallet user');
    await shot(admin, '03-review-go-live');
    await approveOpenReview();

    await operator.goto(`${stack.platformUrl}/console/#/notices`);
    await operator.reload();
    await operator.getByText('“Corner Bakery” is live: the go-live request was approved.').waitFor();
    await shot(operator, '04-operator-notices');
  });

  it('a rejected go-live request tells the operator the reasons', { timeout: 120_000 }, async () => {
    await openReview('Bakery <b>Bold</b> "Quotes"');
    await admin.getByRole('button', { name: 'Reject' }).click();
    await admin.getByRole('button', { name: 'Reject' }).click(); // submit with no reason
    await admin.getByText('Write at least one reason.').waitFor();
    await admin.getByRole('button', { name: /The detail page is incomplete/ }).click();
    await admin.getByLabel(/Reasons/).press('End');
    await admin.getByLabel(/Reasons/).pressSequentially('\nMarkup in the name.');
    await shot(admin, '05-review-reject');
    await admin.getByRole('button', { name: 'Reject' }).click();
    await admin.getByText('Rejected. The operator has been told, with your reasons.').waitFor();
    await operator.goto(`${stack.platformUrl}/console/#/notices`);
    await operator.reload();
    await operator.getByText('Markup in the name.').waitFor();
    await operator.getByText('The detail page is incomplete (terms or contact missing).').waitFor();
  });

  it('a LIVE program’s revised logo reaches the shopper only when approved — and at once', {
    timeout: 120_000,
  }, async () => {
    // The launcher gave Demo Mart its logo and detail page as the demo operator: with review
    // required, a pending revision. The shopper sees the approved version: no logo yet.
    await shopper.goto(`${stack.platformUrl}/wallet/`);
    await shopper.getByRole('button', { name: 'Continue as Alice' }).click();
    await shopper.getByRole('heading', { name: 'No cards yet' }).waitFor();
    await shopper.goto(`${stack.platformUrl}/wallet/add/${stack.demoMart.channelId}`);
    await shopper.getByRole('button', { name: 'Add to My Card' }).waitFor();
    expect(await shopper.locator('.card-face img.logo').count()).toBe(0);
    await shopper.locator('.card-face .logo-fallback').waitFor();

    await openReview('Demo Mart');
    await admin.locator('.compare-changed', { hasText: 'Logo' }).waitFor();
    await shot(admin, '06-review-revision');
    await approveOpenReview();

    await shopper.reload();
    expect(await logoColour(shopper, '.card-face img.logo')).toEqual(TEAL);
    await shot(shopper, '07-shopper-logo-approved');

    // The shopper adds the card through the merchant's real pages.
    await shopper.getByRole('button', { name: 'Add to My Card' }).click();
    await shopper.waitForURL((url) => url.href.startsWith(stack.merchantUrl), { timeout: 15_000 });
    await shopper.fill('#signup-name', 'Alice Lin');
    await shopper.fill('#signup-id', 'alice@example.test');
    await shopper.fill('#signup-password', 'alice-password-123');
    await shopper.locator('form:has(#signup-name) button[type=submit]').click();
    await shopper.waitForURL(/\/wallet\/bindings\/callback|\/mycard\/bind/);
    if (shopper.url().startsWith(stack.merchantUrl)) await shopper.locator('#apply').click();
    await shopper.getByRole('heading', { name: 'Add this card?' }).waitFor({ timeout: 15_000 });
    await shopper.getByRole('button', { name: 'Add to My Card' }).click();
    await shopper.getByRole('heading', { name: 'Card added' }).waitFor();
    await shopper.reload();
    await shopper.waitForURL(/\/wallet\/cards\//);
    cardUrl = shopper.url();
    await shopper.locator('.code-panel canvas[data-ready="true"]').waitFor({ timeout: 15_000 });
    const firstSrc = defined(await shopper.locator('.card-face img.logo').getAttribute('src'));
    expect(await logoColour(shopper, '.card-face img.logo')).toEqual(TEAL);

    // A second revision: a red logo. Pending, the card keeps the teal one.
    const demoOperator = consoleClient(stack.platformUrl);
    await demoOperator.call('POST', '/v1/console/session', stack.consoleLogin);
    await demoOperator.call(
      'PUT',
      `/v1/console/programs/${stack.demoMart.channelId}/logo`,
      makeLogo('#b91c1c'),
      'image/png',
    );
    await shopper.reload();
    await shopper.locator('.code-panel').waitFor();
    expect(await shopper.locator('.card-face img.logo').getAttribute('src')).toBe(firstSrc);
    expect(await logoColour(shopper, '.card-face img.logo')).toEqual(TEAL);

    await openReview('Demo Mart');
    await approveOpenReview();
    // The browser holds the old logo for five minutes; the card's new URL shows the new one now.
    await shopper.reload();
    await shopper.locator('.code-panel').waitFor();
    const secondSrc = defined(await shopper.locator('.card-face img.logo').getAttribute('src'));
    expect(secondSrc).not.toBe(firstSrc);
    expect(await logoColour(shopper, '.card-face img.logo')).toEqual(RED);
    await shot(shopper, '08-shopper-new-logo');
  });

  it('suspension shows the shopper’s card as paused, without its code; reinstating restores it', {
    timeout: 120_000,
  }, async () => {
    await admin.goto(`${stack.platformUrl}/console/#/admin/programs`);
    const row = admin.locator(`[data-channel-id="${stack.demoMart.channelId}"]`);
    await row.getByRole('button', { name: 'Suspend' }).click();
    await row.getByRole('button', { name: 'Suspend' }).click(); // no reason yet
    await row.getByText('Required.').waitFor();
    await row.getByLabel(/Reason/).fill('Reported as a copy of another shop; checking with the owner.');
    await shot(admin, '09-admin-suspend');
    await row.getByRole('button', { name: 'Suspend' }).click();
    await admin.getByText('“Demo Mart” is suspended.').waitFor();
    await row.locator('.badge', { hasText: 'Suspended' }).waitFor();

    await shopper.goto(cardUrl);
    await shopper.getByTestId('card-paused').waitFor();
    expect(await shopper.getByTestId('paused-badge').textContent()).toBe('Paused');
    expect(await shopper.locator('.code-panel').count()).toBe(0);
    expect(await shopper.locator('canvas').count()).toBe(0);
    expect(await shopper.locator('body').textContent()).not.toMatch(/\d{13}/);
    await shot(shopper, '10-card-paused');
    await shopper.goto(`${stack.platformUrl}/wallet/`);
    await shopper.locator('.card-face-paused', { hasText: 'Paused' }).waitFor();

    await row.getByRole('button', { name: 'Reinstate' }).click();
    await row.getByLabel(/Reason/).fill('The owner proved the brand is theirs.');
    await row.getByRole('button', { name: 'Reinstate' }).click();
    await admin.getByText('“Demo Mart” is live again.').waitFor();

    await shopper.goto(cardUrl);
    await shopper.locator('.code-panel canvas[data-ready="true"]').waitFor({ timeout: 15_000 });
    expect(await shopper.getByTestId('card-paused').count()).toBe(0);
    await operator.goto(`${stack.platformUrl}/console/#/notices`);
    await operator.reload();
    await operator.getByText('“Demo Mart” was suspended by the platform. Its cards are paused.').waitFor();
    await operator.getByText('“Demo Mart” was reinstated. Its cards work again.').waitFor();
  });

  it('“report this card” reaches the reports queue; past the limit the shopper is told when to try again', {
    timeout: 120_000,
  }, async () => {
    const report = async (reason: string, text: string) => {
      await shopper.goto(cardUrl);
      await shopper.getByRole('button', { name: 'Report this card' }).click();
      const dialog = shopper.getByRole('dialog');
      await dialog.getByLabel(reason).check();
      await dialog.getByLabel('More details').fill(text);
      await dialog.getByRole('button', { name: 'Send report' }).click();
      return dialog;
    };
    await shopper.goto(cardUrl);
    await shopper.getByRole('button', { name: 'Report this card' }).click();
    await shopper.getByRole('dialog').getByRole('button', { name: 'Send report' }).click();
    await shopper.getByText('Choose what is wrong.').waitFor();
    await shot(shopper, '11-report-dialog');
    await shopper.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await report('It pretends to be another shop', 'Same logo as the shop next door.');
    await shopper.getByTestId('report-sent').waitFor();
    await report('It doesn’t work', 'The code is not accepted.');
    await shopper.getByTestId('report-sent').waitFor();
    const dialog = await report('Something else', 'A third one.');
    await dialog.getByTestId('report-limited').waitFor();
    expect(await dialog.getByTestId('report-limited').textContent()).toMatch(
      /You can send another in \d+ hours?\./,
    );
    await shot(shopper, '12-report-limited');

    await admin.goto(`${stack.platformUrl}/console/#/admin/reports`);
    const first = admin.locator('.report-row', { hasText: 'Same logo as the shop next door.' });
    await first.waitFor();
    expect(await first.textContent()).toContain('Pretends to be another shop');
    expect(await admin.locator('.report-row').count()).toBe(2);
    await shot(admin, '13-admin-reports');
    await first.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => admin.locator('.report-row').count()).toBe(1);
  });

  it('the figures page draws the platform’s figures and links the same as JSON', {
    timeout: 120_000,
  }, async () => {
    await admin.goto(`${stack.platformUrl}/console/#/admin/figures`);
    await admin.getByRole('heading', { name: 'Programs by state' }).waitFor();
    const tile = admin.locator('.stat-tile', { hasText: 'Active cards' });
    expect(await tile.locator('.stat-value').textContent()).toBe('1');
    await admin.locator('.day-columns').first().waitFor();
    await shot(admin, '14-figures');
    const href = defined(
      await admin.getByRole('link', { name: 'These figures as JSON' }).getAttribute('href'),
    );
    expect(href).toBe('/v1/console/admin/figures?days=14');
    const figures = await admin.evaluate(async (path) => (await (await fetch(path)).json()).info, href);
    expect(figures.activeCards).toBe(1);
    expect(figures.programs.LIVE).toBeGreaterThanOrEqual(2);
    expect(figures.openReports).toBe(1);
  });
});
