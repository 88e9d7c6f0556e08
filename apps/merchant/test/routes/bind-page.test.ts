import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
import { bindUrl, injectBrowser } from '../support/browser.js';
import { CALLBACK, CHANNEL_ID, createFakePlatform, envelope, failure } from '../support/fake-platform.js';
import { buildMerchant, createTestStore, type TestStore } from '../support/merchant-harness.js';

describe('binding page with the SDK against a platform stand-in', () => {
  let store: TestStore;
  let merchant: MerchantApp;
  let platform: Awaited<ReturnType<typeof createFakePlatform>>;
  let clock = 0;

  beforeAll(async () => {
    platform = await createFakePlatform();
    store = createTestStore('sqlite', platform.config);
    merchant = await buildMerchant(store, { fetch: platform.fetch, now: () => new Date(Date.now() + clock) });
  });
  beforeEach(() => {
    clock = 0;
    platform.calls.length = 0;
    platform.on('/v1/bindings/apply', (body) =>
      envelope({
        bindingId: 'b',
        completionToken: 'ct',
        callbackUrl: `${CALLBACK}?token=ct-${String(body.membershipCode)}&channelId=${CHANNEL_ID}&status=SUCCESS`,
      }),
    );
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('verifies, lets a new member sign up, applies with code and profile, and 303s to callbackUrl', async () => {
    const q = await platform.bindingQuery();
    const browser = injectBrowser(merchant.app);
    const landing = await browser.get(bindUrl(q));
    expect(landing.statusCode).toBe(303);
    expect(landing.headers.location).toBe('/mycard/bind/start');
    expect(browser.jar.get('merchant_bind')).toBeTruthy();
    const cookieLine = defined(
      [landing.headers['set-cookie']].flat().find((c) => c?.startsWith('merchant_bind=')),
    );
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Lax/);
    expect(cookieLine).toMatch(/Path=\/mycard/);

    const start = await browser.get('/mycard/bind/start');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('Add the Demo Mart card to My Card');
    expect(start.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(start.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(start.headers['x-content-type-options']).toBe('nosniff');
    expect(start.headers['referrer-policy']).toBe('no-referrer');

    const signup = await browser.post('/mycard/bind/signup', {
      displayName: 'Amy',
      login: 'amy@example.com',
      password: 'correct horse',
    });
    expect(signup.statusCode).toBe(303);
    const apply = defined(platform.calls.find((c) => c.path === '/v1/bindings/apply'));
    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', 'amy@example.com')
      .executeTakeFirstOrThrow();
    expect(apply.body).toEqual({
      token: q.token,
      membershipCode: member.membership_code,
      profile: { displayName: 'Amy', points: 0, version: 0 },
    });
    expect(signup.headers.location).toBe(
      `${CALLBACK}?token=ct-${member.membership_code}&channelId=${CHANNEL_ID}&status=SUCCESS`,
    );
    const link = await merchant.context.db.selectFrom('wallet_links').selectAll().executeTakeFirstOrThrow();
    expect(link).toMatchObject({ binding_id: q.bindingId, member_id: member.id, state: 'applied' });
  });

  it('lets a signed-in member confirm, and cancel goes to the claims callback with status=CANCEL', async () => {
    const browser = injectBrowser(merchant.app);
    await browser.get('/signup');
    await browser.post('/signup', { displayName: 'Bo', login: '0912 345 678', password: 'password-bo' });
    const q = await platform.bindingQuery();
    await browser.get(bindUrl(q));
    const confirm = await browser.get('/mycard/bind/start');
    expect(confirm.body).toContain('id="apply"');
    const cancel = await browser.post('/mycard/bind/cancel', {});
    expect(cancel.statusCode).toBe(303);
    const url = new URL(cancel.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(CALLBACK);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      token: q.token,
      channelId: CHANNEL_ID,
      status: 'CANCEL',
    });
    expect(platform.calls).toHaveLength(0);

    const q2 = await platform.bindingQuery();
    await browser.get(bindUrl(q2));
    await browser.get('/mycard/bind/start');
    const ok = await browser.post('/mycard/bind/apply', {});
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/status=SUCCESS$/);
  });

  it('explains an Apply failure, then returns to the wallet with status=FAIL', async () => {
    platform.on('/v1/bindings/apply', () => failure('3005', 409));
    const q = await platform.bindingQuery();
    const browser = injectBrowser(merchant.app);
    await browser.get(bindUrl(q));
    await browser.get('/mycard/bind/start');
    const { posted, page: res } = await browser.submit('/mycard/bind/signup', {
      displayName: 'Cy',
      login: 'cy@example.com',
      password: 'password-cy',
    });
    // Post/redirect/get: the refusal is a 303 to the binding page, which says why.
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/mycard/bind/start');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-reason="apply_taken"');
    expect(res.body).toContain('already in another My Card wallet');
    const back = await browser.post('/mycard/bind/fail', {});
    expect(back.statusCode).toBe(303);
    expect(new URL(back.headers.location as string).searchParams.get('status')).toBe('FAIL');
    expect(new URL(back.headers.location as string).searchParams.get('token')).toBe(q.token);
  });

  it('refuses a callbackUrl that does not point at the verified callback', async () => {
    platform.on('/v1/bindings/apply', () =>
      envelope({ bindingId: 'b', completionToken: 'ct', callbackUrl: 'https://evil.example/steal?token=ct' }),
    );
    const q = await platform.bindingQuery();
    const browser = injectBrowser(merchant.app);
    await browser.get(bindUrl(q));
    await browser.get('/mycard/bind/start');
    const { posted, page: res } = await browser.submit('/mycard/bind/signup', {
      displayName: 'Di',
      login: 'di@example.com',
      password: 'password-di',
    });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/mycard/bind/start');
    expect(res.body).toContain('id="apply-failed"');
    expect(res.body).not.toContain('evil.example');
  });

  it('shows the expired page for an expired token, and an unavailable page when the keys cannot be fetched', async () => {
    const q = await platform.bindingQuery();
    clock = 700_000;
    const expired = await injectBrowser(merchant.app).get(bindUrl(q));
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('data-reason="bindExpiredTitle"');
    expect(expired.headers.location).toBeUndefined();
    clock = 0;
    const down = await buildMerchant(store, {
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    try {
      const res = await injectBrowser(down.app).get(bindUrl(await platform.bindingQuery()));
      expect(res.statusCode).toBe(503);
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toContain('My Card is not reachable right now');
    } finally {
      await down.close();
    }
  });

  it('says "start again from the wallet" when the token runs out during sign-up', async () => {
    const q = await platform.bindingQuery();
    const browser = injectBrowser(merchant.app);
    await browser.get(bindUrl(q));
    await browser.get('/mycard/bind/start');
    clock = 601_000;
    const { posted, page: res } = await browser.submit('/mycard/bind/signup', {
      displayName: 'Ed',
      login: 'ed@example.com',
      password: 'password-ed',
    });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/mycard/bind/start');
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('data-reason="bindExpiredTitle"');
    expect(res.body).toContain('Start again from the My Card wallet');
    expect(res.headers.location).toBeUndefined();
    expect(platform.calls).toHaveLength(0);
  });

  it.each([
    [
      'a tampered token',
      async () => {
        const q = await platform.bindingQuery();
        const [h, p, s] = q.token.split('.');
        return { ...q, token: `${h}.${p}.${defined(s).startsWith('A') ? 'B' : 'A'}${defined(s).slice(1)}` };
      },
    ],
    ['a token for another channel', () => platform.bindingQuery({ channelId: '9999999999' })],
    [
      'a changed callback',
      async () => ({ ...(await platform.bindingQuery()), callback: 'https://evil.example/cb' }),
    ],
    [
      'a changed nonce',
      async () => ({ ...(await platform.bindingQuery()), nonce: 'another-nonce-0123456789abcdef' }),
    ],
    ['a missing token', async () => ({ ...(await platform.bindingQuery()), token: '' })],
  ])('refuses %s with a clear page and no redirect', async (_name, make) => {
    const q = await make();
    const browser = injectBrowser(merchant.app);
    const res = await browser.get(bindUrl(q));
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('data-reason="bindInvalidTitle"');
    expect(res.body).not.toContain('evil.example');
    expect(res.body).not.toContain('/wallet/bindings/callback');
    expect(browser.jar.get('merchant_bind')).toBeUndefined();
  });

  it('refuses a forged context cookie and forms without the CSRF token', async () => {
    const browser = injectBrowser(merchant.app);
    const forged = await merchant.app.inject({
      method: 'GET',
      url: '/mycard/bind/start',
      headers: {
        cookie: `merchant_bind=${Buffer.from('{"token":"x","callback":"https://evil.example","exp":9e15}').toString('base64url')}.sig`,
      },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('data-reason="bindMissingTitle"');
    const q = await platform.bindingQuery();
    await browser.get(bindUrl(q));
    await browser.get('/mycard/bind/start');
    const { posted, page: res } = await browser.submit(
      '/mycard/bind/signup',
      { displayName: 'Fy', login: 'fy@example.com', password: 'password-fy' },
      false,
    );
    expect(posted.statusCode).toBe(303);
    expect(res.body).toContain('The form expired');
    expect(platform.calls).toHaveLength(0);
  });

  it('shows the binding page in the four languages', async () => {
    const q = await platform.bindingQuery();
    const browser = injectBrowser(merchant.app);
    await browser.get(bindUrl(q));
    const expected = { 'zh-TW': '加入 My Card', ja: 'My Card に追加', th: 'ลงใน My Card', en: 'to My Card' };
    for (const [lang, text] of Object.entries(expected)) {
      const page = await browser.get(`/mycard/bind/start?lang=${lang}`);
      expect(page.body).toContain(`<html lang="${lang}">`);
      expect(page.body).toContain(text);
    }
    const fresh = injectBrowser(merchant.app);
    await fresh.get(bindUrl(await platform.bindingQuery()));
    const ja = await fresh.get('/mycard/bind/start', { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' });
    expect(ja.body).toContain('<html lang="ja">');
  });
});
