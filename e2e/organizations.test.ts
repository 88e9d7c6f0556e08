import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { freePort } from '../test-support/free-port.js';
import { launchChromium } from './helpers/browser.js';
import { builtIndexHtml } from './helpers/build-web.js';
import { ROOT, type Running, startProcess, waitForHttp } from './helpers/processes.js';

/**
 * Organizations end to end (issue 12, PROTOCOL.md §7), in Debian's chromium against the platform as
 * a real process, on a phone (390×844): an owner invites a developer from the console; the developer
 * opens the link, creates an account, accepts, and sees the program with only what a developer may
 * do; a viewer sees no secret and no reveal/rotate anywhere in the page; the owner reads the audit
 * entries. Screenshots go to test-results/organizations/.
 */
const SHOTS = join(ROOT, 'test-results', 'organizations');
const PASSWORD = 'correct horse battery staple';

let platform: Running;
let dataDir: string;
let platformUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
let owner: Page;
let channelId = '';
let channelSecret = '';
let organizationId = '';

async function shot(p: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await p.evaluate(() => {
    document.querySelectorAll<HTMLElement>('.topbar, .submit-bar').forEach((el) => {
      el.style.position = 'static';
    });
  });
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await p.evaluate(() => {
    document.querySelectorAll<HTMLElement>('.topbar, .submit-bar').forEach((el) => {
      el.style.position = '';
    });
  });
}

async function phonePage(language = 'en-US'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: language,
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** A console API call from the page's origin with its session cookie, as the app makes them. */
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

async function signUpInPage(p: Page, name: string, email: string): Promise<void> {
  await p.getByLabel('Your name').fill(name);
  await p.getByLabel('E-mail').fill(email);
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByRole('button', { name: 'Create account' }).click();
}

/** The owner invites `email` with `role` on the invitations tab; returns the link shown once. */
async function inviteInPage(email: string, role: string): Promise<string> {
  await owner.goto(`${platformUrl}/console/#/organizations/${organizationId}/invitations`);
  await owner.getByRole('heading', { name: 'Invite someone' }).waitFor();
  await owner.getByLabel('E-mail').fill(email);
  await owner.getByLabel('Role').selectOption(role);
  await owner.getByRole('button', { name: 'Create invitation link' }).click();
  await owner.getByRole('heading', { name: `Invitation for ${email} created` }).waitFor();
  const link = defined(await owner.getByTestId('invite-link').textContent()).trim();
  expect(link).toMatch(new RegExp(`^${platformUrl}/console/#/invite/[A-Za-z0-9_-]{43}$`));
  return link;
}

beforeAll(async () => {
  builtIndexHtml('console');
  dataDir = mkdtempSync(join(tmpdir(), 'mycard-orgs-e2e-'));
  const port = await freePort();
  platformUrl = `http://127.0.0.1:${port}`;
  platform = startProcess('platform', ['apps/platform/bin/mycard.js', 'platform'], {
    MYCARD_PORT: String(port),
    MYCARD_PUBLIC_URL: platformUrl,
    MYCARD_DATA_DIR: dataDir,
    MYCARD_IDENTITY: 'dev',
    MYCARD_LOG_LEVEL: 'warn',
  });
  await waitForHttp(platform, `${platformUrl}/console/`);
  browser = await launchChromium();
  owner = await phonePage();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('organizations in the console (issue 12): invite, accept, roles, audit', () => {
  it('the owner signs up, registers a program and opens the organization', async () => {
    await owner.goto(`${platformUrl}/console/#/signup`);
    await signUpInPage(owner, 'Mei Lin', 'mei@demo-mart.test');
    await owner.getByRole('heading', { name: 'No programs yet' }).waitFor();
    const created = await api<{ program: { channelId: string }; channelSecret: string }>(
      owner,
      'POST',
      '/v1/console/programs',
      {
        name: 'Demo Mart',
        codeType: 'QRCODE',
        bindingUrl: 'https://shop.example/bind',
        webhookUrl: 'https://shop.example/hook',
      },
    );
    channelId = created.program.channelId;
    channelSecret = created.channelSecret;
    await owner.locator('.main-nav').getByRole('link', { name: 'Organization' }).click();
    await owner.getByRole('link', { name: 'Members' }).waitFor();
    const orgs = await api<{ organizations: { organizationId: string }[] }>(
      owner,
      'GET',
      '/v1/console/organizations',
    );
    organizationId = defined(orgs.organizations[0]).organizationId;
    await owner.getByTestId('member-mei@demo-mart.test').waitFor();
    // The owner renames the organization.
    await owner.getByRole('button', { name: 'Rename' }).click();
    await owner.getByLabel('Organization name').fill('Demo Mart Group');
    await owner.getByRole('button', { name: 'Save changes' }).click();
    await owner.getByRole('heading', { name: 'Demo Mart Group' }).waitFor();
    await shot(owner, 'phone-01-owner-members');
  });

  it('the owner invites a developer: the link is shown once, the invitation is pending', async () => {
    const link = await inviteInPage('dev@demo-mart.test', 'developer');
    await owner.getByText('dev@demo-mart.test', { exact: true }).waitFor();
    await shot(owner, 'phone-02-owner-invitation-link');
    // The developer (a new browser) opens the link, is asked to sign in or sign up, signs up.
    const dev = await phonePage();
    await dev.goto(link);
    await dev.getByText(/Sign in, or create an account with the e-mail address/).waitFor();
    await shot(dev, 'phone-03-invite-signed-out');
    await dev.getByRole('link', { name: /Create an account/ }).click();
    expect(dev.url()).toContain('/signup');
    await signUpInPage(dev, 'Dev Kim', 'dev@demo-mart.test');
    await dev.getByTestId('invite-summary').waitFor();
    expect(await dev.getByTestId('invite-summary').textContent()).toBe(
      'Mei Lin invites you to join Demo Mart Group as Developer.',
    );
    await shot(dev, 'phone-04-invite-accept');
    await dev.getByRole('button', { name: 'Accept and join' }).click();
    await dev.getByRole('heading', { name: 'Demo Mart Group' }).waitFor();
    await dev.getByText('Your role: Developer').waitFor();
    // A developer sees no invitations or audit tab, no role selector and no "Remove", only "Leave" for themselves.
    expect(await dev.getByRole('link', { name: 'Invitations' }).count()).toBe(0);
    expect(await dev.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await dev.getByLabel(/^Role of/).count()).toBe(0);
    expect(await dev.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await dev.getByRole('button', { name: 'Leave' }).count()).toBe(1);
    await shot(dev, 'phone-05-developer-members');

    // The program is the developer's to integrate, not to restyle or take live.
    await dev.goto(`${platformUrl}/console/#/programs`);
    await dev.getByText('Demo Mart', { exact: true }).click();
    await dev.getByTestId('role-note').waitFor();
    expect(await dev.getByRole('button', { name: 'Go live' }).count()).toBe(0);
    expect(await dev.getByLabel('Program name').isDisabled()).toBe(true);
    expect(await dev.getByLabel('Binding website URL').isDisabled()).toBe(false);
    await dev.getByLabel('Webhook URL').fill('https://shop.example/hook-v2');
    await dev.getByRole('button', { name: 'Save changes' }).click();
    await dev.getByText('Saved.').waitFor();
    await shot(dev, 'phone-06-developer-settings');
    // Developers hold the credentials: reveal works.
    await dev.goto(`${platformUrl}/console/#/programs/${channelId}/credentials`);
    await dev.getByRole('button', { name: 'Reveal secret' }).click();
    expect(defined(await dev.getByTestId('channel-secret').textContent()).trim()).toBe(channelSecret);
    // The used link does not work again.
    await dev.goto(link);
    await dev.getByText(/does not work any more/).waitFor();
  });

  it('a viewer never sees a secret: no reveal or rotate, no secret anywhere in the page', async () => {
    const link = await inviteInPage('viewer@demo-mart.test', 'viewer');
    const viewer = await phonePage();
    await viewer.goto(`${link}/signup`);
    await signUpInPage(viewer, 'Vee Ewer', 'viewer@demo-mart.test');
    await viewer.getByRole('button', { name: 'Accept and join' }).click();
    await viewer.getByText('Your role: Viewer').waitFor();
    for (const tab of ['', '/credentials', '/guide']) {
      await viewer.goto(`${platformUrl}/console/#/programs/${channelId}${tab}`);
      await viewer.getByRole('heading', { name: 'Demo Mart' }).waitFor();
      if (tab === '/credentials') await viewer.getByTestId('no-secret-for-role').waitFor();
      expect(await viewer.getByRole('button', { name: /Reveal secret|Rotate secret/ }).count()).toBe(0);
      expect(await viewer.getByRole('button', { name: /Save changes|Go live/ }).count()).toBe(0);
      const html = await viewer.content();
      expect(html.includes(channelSecret)).toBe(false);
      if (tab === '/credentials') await shot(viewer, 'phone-07-viewer-credentials');
      if (tab === '') {
        expect(await viewer.getByLabel('Program name').isDisabled()).toBe(true);
        await shot(viewer, 'phone-08-viewer-settings');
      }
    }
  });

  it('another user’s link: an invitation for one address does not let another account in', async () => {
    const link = await inviteInPage('someone@demo-mart.test', 'admin');
    const other = await phonePage();
    await other.goto(`${platformUrl}/console/#/signup`);
    await signUpInPage(other, 'Other Person', 'other@demo-mart.test');
    await other.getByRole('heading', { name: 'No programs yet' }).waitFor();
    await other.goto(link);
    await other.getByText('This invitation was made for another e-mail address.').waitFor();
    await shot(other, 'phone-09-invite-other-email');
    // The owner revokes it from the pending list.
    await owner.getByRole('button', { name: 'Revoke the invitation for someone@demo-mart.test' }).click();
    await owner.getByText('someone@demo-mart.test', { exact: true }).waitFor({ state: 'detached' });
  });

  it('the owner reads the audit log: the invitations, the joins, the reveal and the webhook change', async () => {
    await owner.goto(`${platformUrl}/console/#/organizations/${organizationId}/audit`);
    const list = owner.getByTestId('audit-entries');
    await list.waitFor();
    for (const text of [
      'Invited dev@demo-mart.test as Developer',
      'dev@demo-mart.test joined as Developer',
      'Revealed the channel secret',
      'Changed the webhook URL to https://shop.example/hook-v2',
      'Revoked the invitation for someone@demo-mart.test',
      'Renamed the organization to “Demo Mart Group”',
    ]) {
      await list.getByText(text).first().waitFor();
    }
    expect(await owner.content()).not.toContain(channelSecret);
    await shot(owner, 'phone-10-owner-audit');
    // The owner makes the developer an admin from the members list.
    await owner.goto(`${platformUrl}/console/#/organizations/${organizationId}`);
    await owner.getByLabel('Role of Dev Kim').selectOption('admin');
    // The select shows the new role once the platform has saved it (the list is read again).
    await expect
      .poll(() => owner.getByTestId('member-dev@demo-mart.test').getByRole('combobox').inputValue())
      .toBe('admin');
    await owner.goto(`${platformUrl}/console/#/organizations/${organizationId}/audit`);
    await owner.getByText('Changed a member’s role from Developer to Admin').waitFor();
  });

  it('the organization pages in Japanese', async () => {
    const ja = await phonePage('ja-JP');
    await ja.goto(`${platformUrl}/console/#/signin`);
    await ja.locator('input[type="email"]').fill('mei@demo-mart.test');
    await ja.locator('input[type="password"]').fill(PASSWORD);
    await ja.locator('form button[type="submit"]').click();
    await ja.locator('.main-nav').waitFor();
    await ja.goto(`${platformUrl}/console/#/organizations/${organizationId}/invitations`);
    await ja.getByRole('heading', { name: 'メンバーを招待' }).waitFor();
    await shot(ja, 'phone-11-ja-invitations');
  });
});
