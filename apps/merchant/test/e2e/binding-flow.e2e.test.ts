import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
import { DIALECTS } from '../support/merchant-harness.js';
import {
  type LinkedMerchant,
  merchantBrowser,
  type ProgramCredentials,
  platformForFile,
  posTerminal,
  startLinkedMerchant,
  walletClient,
} from '../support/platform-process.js';

// The whole binding flow across the two real servers over HTTP: the platform as a child process
// (its CLI registers the program), the merchant listening on loopback, fetch + cookie jars as browsers.
const platform = platformForFile();

describe.each(DIALECTS)('binding flow across the real platform and merchant (%s)', (dialect) => {
  let linked: LinkedMerchant;
  let merchant: MerchantApp;
  let program: ProgramCredentials;
  let merchantUrl: string;

  beforeAll(async () => {
    linked = await startLinkedMerchant(platform, dialect, { webhook: true, maxDelayMs: 1000 });
    ({ merchant, program, url: merchantUrl } = linked);
  }, 60_000);
  afterAll(async () => {
    await linked?.destroy();
  });

  /** Wallet session → reserve → the merchant page; returns the wallet and the merchant browser. */
  async function startBinding(userId: string) {
    const wallet = walletClient(platform.url);
    expect((await wallet.signIn(`${userId}-${dialect}`)).status).toBe(200);
    const reserve = await wallet.reserve(program.channelId);
    expect(reserve.status).toBe(201);
    const browser = merchantBrowser(merchantUrl);
    const landing = await browser.get(reserve.info.redirectUrl);
    expect(landing.status).toBe(303);
    expect(landing.location).toBe('/mycard/bind/start');
    const start = await browser.get('/mycard/bind/start');
    expect(start.status).toBe(200);
    expect(start.body).toContain('Demo Mart');
    return { wallet, browser, redirectUrl: reserve.info.redirectUrl as string };
  }

  async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
    const deadline = Date.now() + ms;
    let value = await read();
    while (!ok(value) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      value = await read();
    }
    return value;
  }

  it('binds: reserve → /mycard/bind → sign up → Apply → callback → complete → card in the wallet, then POS points reach it', async () => {
    const { wallet, browser } = await startBinding('alice');
    const signup = await browser.post('/mycard/bind/signup', {
      displayName: 'Alice',
      login: `alice-${dialect}@example.com`,
      password: 'alice-password',
    });
    expect(signup.status).toBe(303);
    const callback = new URL(defined(signup.location));
    expect(`${callback.origin}${callback.pathname}`).toBe(`${platform.url}/wallet/bindings/callback`);
    expect(callback.searchParams.get('status')).toBe('SUCCESS');
    expect(callback.searchParams.get('channelId')).toBe(program.channelId);

    const complete = await wallet.complete(
      defined(callback.searchParams.get('token')),
      program.channelId,
      'SUCCESS',
    );
    expect(complete.status).toBe(200);
    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', `alice-${dialect}@example.com`)
      .executeTakeFirstOrThrow();
    const cards = await wallet.cards();
    const card = cards.info.cards.find((c: any) => c.channelId === program.channelId);
    expect(card).toMatchObject({ state: 'ACTIVE', membershipCode: member.membership_code });

    // The platform's card.completed webhook reaches the merchant and marks the link active.
    const link = await waitFor(
      () =>
        merchant.context.db
          .selectFrom('wallet_links')
          .selectAll()
          .where('member_id', '=', member.id)
          .executeTakeFirst(),
      (l) => l?.state === 'active',
    );
    expect(link?.state).toBe('active');
    expect((await browser.get('/member')).body).toContain('Your card is in your My Card wallet');

    // Points at the till reach the wallet card through the outbox.
    const pos = await posTerminal(merchantUrl, 'cashier', 'cashier-password');
    const accrued = await pos('accrue', {
      code: member.membership_code,
      amount: 2599,
      currency: 'TWD',
      orderId: 'E2E-1',
    });
    expect(accrued.status).toBe(201);
    expect(accrued.body.balance).toBe(25);
    const synced = await waitFor(
      async () => (await wallet.cards()).info.cards.find((c: any) => c.channelId === program.channelId),
      (c) => c?.profile?.points === 25,
    );
    expect(synced.profile).toMatchObject({ points: 25, version: accrued.body.entry.id });

    // My Code: a one-time key earns points once; the same key again is refused.
    const key = (await wallet.myCode()).info.oneTimeKey as string;
    expect(key).toMatch(/^\d{18}$/);
    const viaKey = await pos('accrue', { code: key, amount: 1000, currency: 'TWD', orderId: 'E2E-2' });
    expect(viaKey.status).toBe(201);
    expect(viaKey.body.balance).toBe(35);
    const replay = await pos('accrue', { code: key, amount: 1000, currency: 'TWD', orderId: 'E2E-2' });
    expect(replay.body).toEqual(viaKey.body);
    const reused = await pos('accrue', { code: key, amount: 1000, currency: 'TWD', orderId: 'E2E-3' });
    expect(reused.status).toBe(404);
    expect(reused.body.error.code).toBe('one_time_key_invalid');
    const entries = await merchant.context.db
      .selectFrom('ledger_entries')
      .select('id')
      .where('member_id', '=', member.id)
      .execute();
    expect(entries).toHaveLength(2);

    // The member removes the card from the member page; the wallet no longer holds it.
    expect((await browser.post('/member/unbind', {})).location).toBe('/member?notice=unbound');
    const after = await wallet.cards();
    expect(
      after.info.cards.find((c: any) => c.channelId === program.channelId && c.state === 'ACTIVE'),
    ).toBeUndefined();
  });

  it('cancel: back to the wallet with status=CANCEL, and the wallet cancels the binding', async () => {
    const { wallet, browser } = await startBinding('carol');
    const cancel = await browser.post('/mycard/bind/cancel', {});
    expect(cancel.status).toBe(303);
    const url = new URL(defined(cancel.location));
    expect(url.searchParams.get('status')).toBe('CANCEL');
    expect(url.searchParams.get('channelId')).toBe(program.channelId);
    const done = await wallet.complete(defined(url.searchParams.get('token')), program.channelId, 'CANCEL');
    expect(done.status).toBe(200);
    expect(
      (await wallet.cards()).info.cards.filter((c: any) => c.channelId === program.channelId),
    ).toHaveLength(0);
  });

  it('failure: Apply refused (code already in another wallet) → explained, then status=FAIL', async () => {
    // Dave binds his membership code from one wallet user …
    const first = await startBinding('dave-1');
    const signup = await first.browser.post('/mycard/bind/signup', {
      displayName: 'Dave',
      login: `dave-${dialect}@example.com`,
      password: 'dave-password',
    });
    const token = defined(new URL(defined(signup.location)).searchParams.get('token'));
    expect((await first.wallet.complete(token, program.channelId, 'SUCCESS')).status).toBe(200);
    // … then logs in with the same account from another wallet user.
    const second = await startBinding('dave-2');
    const login = await second.browser.post('/mycard/bind/login', {
      login: `dave-${dialect}@example.com`,
      password: 'dave-password',
    });
    // Post/redirect/get: a 303 back to the binding page, which says why.
    expect([login.status, login.location]).toEqual([303, '/mycard/bind/start']);
    const explained = await second.browser.get('/mycard/bind/start');
    expect(explained.body).toContain('data-reason="apply_taken"');
    const fail = await second.browser.post('/mycard/bind/fail', {});
    expect(fail.status).toBe(303);
    const url = new URL(defined(fail.location));
    expect(url.searchParams.get('status')).toBe('FAIL');
    expect(
      (await second.wallet.complete(defined(url.searchParams.get('token')), program.channelId, 'FAIL'))
        .status,
    ).toBe(200);
  });

  it('refuses a tampered token, another channel, a changed callback or nonce — and redirects nowhere', async () => {
    const wallet = walletClient(platform.url);
    await wallet.signIn(`mallory-${dialect}`);
    const real = new URL((await wallet.reserve(program.channelId)).info.redirectUrl);
    const variants: Record<string, URL> = {};
    const tampered = new URL(real);
    const token = defined(real.searchParams.get('token'));
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(defined(p), 'base64url').toString());
    tampered.searchParams.set(
      'token',
      `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`,
    );
    variants.tampered = tampered;
    const callback = new URL(real);
    callback.searchParams.set('callback', 'https://evil.example/wallet/bindings/callback');
    variants.callback = callback;
    const nonce = new URL(real);
    nonce.searchParams.set('nonce', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    variants.nonce = nonce;
    const other = await platform.createProgram({
      name: 'Other Shop',
      bindingUrl: `${merchantUrl}/mycard/bind`,
    });
    variants.otherChannel = new URL((await wallet.reserve(other.channelId)).info.redirectUrl);

    for (const [name, url] of Object.entries(variants)) {
      const res = await merchantBrowser(merchantUrl).get(url.href);
      expect(res.status, name).toBe(400);
      expect(res.location, name).toBeNull();
      expect(res.body, name).toContain('data-reason="bindInvalidTitle"');
      expect(res.body, name).not.toContain('evil.example');
      expect(res.body, name).not.toContain('/wallet/bindings/callback');
    }
  });
});
