import { generateTestSignatureHeaders } from '@mycard/merchant';
import { isValidMembershipCode } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { beginLink, setLinkState } from '../../src/links/begin-link.js';
import { injectBrowser } from '../support/browser.js';
import { CHANNEL_ID, CHANNEL_SECRET, createFakePlatform, envelope } from '../support/fake-platform.js';
import {
  buildMerchant,
  createTestStore,
  DIALECTS,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

describe.each(DIALECTS)('member site, unbind and webhooks (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  let platform: Awaited<ReturnType<typeof createFakePlatform>>;

  beforeAll(async () => {
    platform = await createFakePlatform();
    store = createTestStore(dialect, platform.config);
    merchant = await buildMerchant(store, { fetch: platform.fetch });
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('signs up, shows balance, code and history, logs out and in again', async () => {
    const browser = injectBrowser(merchant.app);
    await browser.get('/signup');
    // Refusals are 303s back to the form (post/redirect/get), which says why and keeps the input.
    const bad = await browser.submit('/signup', {
      displayName: 'Gil',
      login: 'not-an-email@',
      password: 'password-gil',
    });
    expect([bad.posted.statusCode, bad.posted.headers.location]).toEqual([303, '/signup']);
    expect(bad.page.body).toContain('Enter a valid e-mail address or phone number.');
    expect(bad.page.body).toContain('value="not-an-email@"');
    expect(bad.page.body).not.toContain('password-gil');
    // Reloading the form shows it fresh: the refusal is read once.
    expect((await browser.get('/signup')).body).not.toContain('Enter a valid e-mail');
    const short = await browser.submit('/signup', {
      displayName: 'Gil',
      login: 'gil@example.com',
      password: 'short',
    });
    expect(short.page.body).toContain('The password needs at least 8 characters.');
    const xss = await browser.post('/signup', {
      displayName: '<script>alert(1)</script>',
      login: 'gil@example.com',
      password: 'password-gil',
    });
    expect(xss.statusCode).toBe(303);
    const dup = injectBrowser(merchant.app);
    await dup.get('/signup');
    const taken = await dup.submit('/signup', {
      displayName: 'G',
      login: 'GIL@example.com',
      password: 'password-gil',
    });
    expect(taken.posted.statusCode).toBe(303);
    expect(taken.page.body).toContain('already registered');

    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', 'gil@example.com')
      .executeTakeFirstOrThrow();
    expect(isValidMembershipCode('EAN13', member.membership_code)).toBe(true);
    const pos = await posClient(merchant, `till-${dialect}`);
    await pos.post('accrue', { code: member.membership_code, amount: 4321, currency: 'TWD', orderId: 'M-1' });

    const page = await browser.get('/member');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-points="43"');
    expect(page.body).toContain(member.membership_code);
    expect(page.body).toContain('M-1');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('Not in a wallet yet');

    expect((await browser.post('/logout', {})).statusCode).toBe(303);
    expect((await browser.get('/member')).headers.location).toBe('/login');
    await browser.get('/login');
    const wrong = await browser.submit('/login', { login: 'gil@example.com', password: 'nope-nope' });
    expect([wrong.posted.statusCode, wrong.posted.headers.location]).toEqual([303, '/login']);
    expect(wrong.page.body).toContain('Wrong e-mail / phone number or password.');
    const ok = await browser.post('/login', { login: 'Gil@Example.com', password: 'password-gil' });
    expect(ok.statusCode).toBe(303);
    expect((await browser.get('/member')).statusCode).toBe(200);
  });

  it('unbinds from the member page through the SDK', async () => {
    const browser = injectBrowser(merchant.app);
    await browser.get('/signup');
    const tokenBeforeSignIn = browser.csrf;
    await browser.post('/signup', { displayName: 'Hal', login: 'hal@example.com', password: 'password-hal' });
    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', 'hal@example.com')
      .executeTakeFirstOrThrow();
    const bindingId = `bnd_unbind_${dialect}_000000000000`;
    await beginLink(merchant.context, member, { bindingId, subject: 's' });
    await setLinkState(merchant.context, bindingId, 'active');
    // The CSRF token rotates with the session: the one from before sign-in is refused now.
    const stale = await merchant.app.inject({
      method: 'POST',
      url: '/member/unbind',
      headers: { cookie: browser.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${tokenBeforeSignIn}`,
    });
    expect(stale.headers.location).toBe('/member?error=csrf');
    const page = await browser.get('/member');
    expect(page.body).toContain('Your card is in your My Card wallet');

    platform.on('/v1/cards/unbind', () => envelope({ bindingId }));
    const res = await browser.post('/member/unbind', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/member?notice=unbound');
    expect(platform.calls.at(-1)).toEqual({
      path: '/v1/cards/unbind',
      body: { bindingId, reason: 'member request' },
    });
    const link = await merchant.context.db
      .selectFrom('wallet_links')
      .selectAll()
      .where('binding_id', '=', bindingId)
      .executeTakeFirstOrThrow();
    expect(link.state).toBe('unbound');
    expect((await browser.get('/member')).body).toContain('Not in a wallet yet');
  });

  it('records a verified card.unbound webhook once and refuses a bad signature', async () => {
    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', 'gil@example.com')
      .executeTakeFirstOrThrow();
    const bindingId = `bnd_webhook_${dialect}_00000000000`;
    await beginLink(merchant.context, member, { bindingId, subject: 's' });
    await setLinkState(merchant.context, bindingId, 'active');
    const body = JSON.stringify({
      id: `evt_${dialect}_1`,
      type: 'card.unbound',
      createdAt: new Date().toISOString(),
      channelId: CHANNEL_ID,
      data: { bindingId, reason: 'user' },
    });
    const send = async (headers: Record<string, string>) =>
      merchant.app.inject({
        method: 'POST',
        url: '/mycard/webhook',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: body,
      });

    const forged = await send(
      await generateTestSignatureHeaders({
        channelId: CHANNEL_ID,
        channelSecret: 'b'.repeat(64),
        path: '/mycard/webhook',
        body,
      }),
    );
    expect(forged.statusCode).toBe(401);
    const stillActive = await merchant.context.db
      .selectFrom('wallet_links')
      .select('state')
      .where('binding_id', '=', bindingId)
      .executeTakeFirstOrThrow();
    expect(stillActive.state).toBe('active');

    const headers = await generateTestSignatureHeaders({
      channelId: CHANNEL_ID,
      channelSecret: CHANNEL_SECRET,
      path: '/mycard/webhook',
      body,
    });
    expect((await send(headers)).statusCode).toBe(200);
    expect(
      (
        await send(
          await generateTestSignatureHeaders({
            channelId: CHANNEL_ID,
            channelSecret: CHANNEL_SECRET,
            path: '/mycard/webhook',
            body,
          }),
        )
      ).statusCode,
    ).toBe(200);
    const events = await merchant.context.db.selectFrom('webhook_events').selectAll().execute();
    expect(events).toHaveLength(1);
    const link = await merchant.context.db
      .selectFrom('wallet_links')
      .selectAll()
      .where('binding_id', '=', bindingId)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({ state: 'unbound', unbound_reason: 'user' });
  });
});
