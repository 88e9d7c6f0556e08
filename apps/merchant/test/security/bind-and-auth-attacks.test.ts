import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
import { isWeakPassword } from '../../src/members/password.js';
import { createLoginThrottle } from '../../src/web/login-throttle.js';
import { bindUrl, injectBrowser } from '../support/browser.js';
import { CALLBACK, CHANNEL_ID, createFakePlatform, envelope } from '../support/fake-platform.js';
import { addMember, buildMerchant, createTestStore, type TestStore } from '../support/merchant-harness.js';

/** The error a refused form post carries to the page it redirects to (post/redirect/get). */
function flashError(res: { statusCode: number; headers: Record<string, unknown> }): string | undefined {
  if (res.statusCode !== 303) return undefined;
  const line = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('merchant_flash='));
  if (!line) return undefined;
  const signed = decodeURIComponent(defined(String(line).split(';')[0]).slice('merchant_flash='.length));
  const value = signed.slice(0, signed.lastIndexOf('.'));
  return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')).error;
}

describe('binding page and member log-in under attack', () => {
  let store: TestStore;
  let merchant: MerchantApp;
  let platform: Awaited<ReturnType<typeof createFakePlatform>>;

  beforeAll(async () => {
    platform = await createFakePlatform();
    store = createTestStore('sqlite', platform.config);
    merchant = await buildMerchant(store, { fetch: platform.fetch });
  });
  beforeEach(() => {
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

  it.each([
    ['javascript:', 'javascript:alert(document.domain)//'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['protocol-relative', '//evil.example/wallet/bindings/callback'],
    ['credentials', 'https://user:pw@evil.example/cb'],
  ])('refuses a %s callback even inside validly signed claims, redirecting nowhere', async (_n, callback) => {
    const q = await platform.bindingQuery({ callback });
    const browser = injectBrowser(merchant.app);
    const res = await browser.get(bindUrl(q));
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('data-reason="bindInvalidTitle"');
    expect(res.body).not.toContain('evil.example');
    expect(browser.jar.get('merchant_bind')).toBeUndefined();
  });

  it('a used binding cannot be applied again, nor replayed into another member (copied context cookie)', async () => {
    const q = await platform.bindingQuery();
    const amy = injectBrowser(merchant.app);
    await amy.get(bindUrl(q));
    const stolenCookie = defined(amy.jar.get('merchant_bind'));
    await amy.get('/mycard/bind/start');
    const done = await amy.post('/mycard/bind/signup', {
      displayName: 'Amy',
      login: 'amy-reuse@example.com',
      password: 'amy-secret-pass',
    });
    expect(done.statusCode).toBe(303);
    expect(amy.jar.get('merchant_bind')).toBeUndefined();
    // Amy's browser: the context died with the Apply.
    const again = await amy.submit('/mycard/bind/apply', {});
    expect(again.posted.statusCode).toBe(303);
    expect(again.page.statusCode).toBe(400);
    expect(again.page.body).toContain('data-reason="bindMissingTitle"');

    // Mallory holds a copy of Amy's context cookie and applies it to her own account.
    const mallory = injectBrowser(merchant.app);
    mallory.jar.store(`merchant_bind=${stolenCookie}`);
    await mallory.get('/mycard/bind/start');
    const hijack = await mallory.submit('/mycard/bind/signup', {
      displayName: 'Mallory',
      login: 'mallory-reuse@example.com',
      password: 'mallory-secret-pass',
    });
    expect([hijack.posted.statusCode, hijack.posted.headers.location]).toEqual([303, '/mycard/bind/start']);
    expect(hijack.page.body).toContain('data-reason="apply_state"');
    expect(hijack.page.headers.location).toBeUndefined();
    expect(platform.calls.filter((c) => c.path === '/v1/bindings/apply')).toHaveLength(1);
    const link = await merchant.context.db
      .selectFrom('wallet_links as l')
      .innerJoin('members as m', 'm.id', 'l.member_id')
      .select(['m.email', 'l.state'])
      .where('l.binding_id', '=', q.bindingId)
      .executeTakeFirstOrThrow();
    expect(link).toEqual({ email: 'amy-reuse@example.com', state: 'applied' });
  });

  it('names the signed-in account (login id, name, masked code) before a signed-in member applies', async () => {
    const member = await addMember(merchant, 'named@example.com', 'named-secret-pass');
    const browser = injectBrowser(merchant.app);
    await browser.get('/login');
    await browser.post('/login', { login: 'named@example.com', password: 'named-secret-pass' });
    await browser.get(bindUrl(await platform.bindingQuery()));
    const start = await browser.get('/mycard/bind/start');
    expect(start.body).toContain('named@example.com');
    expect(start.body).toContain(member.membership_code.slice(-4));
    expect(start.body).not.toContain(member.membership_code);
    expect(platform.calls).toHaveLength(0); // nothing applied until the member confirms
  });

  it('refuses log-in and sign-up forms posted without this browser’s CSRF token (login CSRF)', async () => {
    await addMember(merchant, 'attacker@example.com', 'attacker-secret');
    const victim = injectBrowser(merchant.app);
    await victim.get(bindUrl(await platform.bindingQuery()));
    await victim.get('/mycard/bind/start');
    // A cross-site form carries no token (and, SameSite=Lax, not even the CSRF cookie).
    for (const path of ['/mycard/bind/login', '/login']) {
      const res = await victim.post(
        path,
        { login: 'attacker@example.com', password: 'attacker-secret' },
        false,
      );
      expect(flashError(res)).toBe('errCsrf');
      expect(victim.jar.get('merchant_session')).toBeUndefined();
    }
    // A token from the attacker's own browser does not fit the victim's cookie.
    const attacker = injectBrowser(merchant.app);
    await attacker.get('/login');
    const res = await victim.post('/login', {
      _csrf: attacker.csrf,
      login: 'attacker@example.com',
      password: 'attacker-secret',
    });
    expect(flashError(res)).toBe('errCsrf');
    expect(victim.jar.get('merchant_session')).toBeUndefined();
    expect(platform.calls).toHaveLength(0);
  });

  it('does not let parallel guesses slip past the per-account limit', async () => {
    await addMember(merchant, 'target@example.com', 'the-real-password');
    const browser = injectBrowser(merchant.app);
    await browser.get('/login');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        browser.post('/login', { login: 'target@example.com', password: `guess-${i}-xxxx` }),
      ),
    );
    // Every refusal is a 303 back to the form; the error it carries tells a guess from a lockout.
    expect(results.every((r) => r.statusCode === 303)).toBe(true);
    const errors = results.map(flashError);
    expect(errors.filter((e) => e === 'errLogin').length).toBeLessThanOrEqual(10);
    expect(errors.filter((e) => e === 'errTooMany').length).toBeGreaterThanOrEqual(20);
    // Locked: even the right password waits.
    const right = await browser.post('/login', {
      login: 'target@example.com',
      password: 'the-real-password',
    });
    expect(flashError(right)).toBe('errTooMany');
    expect(browser.jar.get('merchant_session')).toBeUndefined();
    // Same message and status for an unknown login as for a wrong password.
    const unknown = await browser.post('/login', { login: 'nobody@example.com', password: 'whatever-123' });
    const wrong = await browser.post('/login', { login: 'named@example.com', password: 'whatever-123' });
    expect(unknown.statusCode).toBe(wrong.statusCode);
    expect(flashError(unknown)).toBe(flashError(wrong));
  });

  it('refuses easy passwords at sign-up', async () => {
    const browser = injectBrowser(merchant.app);
    await browser.get('/signup');
    for (const password of [
      'password',
      '12345678',
      'aaaaaaaaaa',
      'weakling@example.com',
      'Weakling Person',
    ]) {
      const res = await browser.post('/signup', {
        displayName: 'Weakling Person',
        login: 'weakling@example.com',
        password,
      });
      expect([password, flashError(res)]).toEqual([password, 'errPasswordWeak']);
    }
    expect(isWeakPassword('weakling', 'weakling@example.com', 'W')).toBe(true);
    expect(isWeakPassword('correct horse', 'weakling@example.com', 'W')).toBe(false);
  });
});

describe('sign-in throttle', () => {
  it('limits failures per client address across accounts (password spraying)', () => {
    const throttle = createLoginThrottle({ accountLimit: 10, clientLimit: 50 });
    let allowed = 0;
    for (let i = 0; i < 80; i++)
      if (throttle.begin(`email:user${i}@example.com`, '203.0.113.9', 1000)) allowed++;
    expect(allowed).toBe(50);
    expect(throttle.begin('email:other@example.com', '198.51.100.1', 1000)).toBe(true);
    expect(throttle.begin('email:user1@example.com', '203.0.113.9', 1000 + 16 * 60 * 1000)).toBe(true);
  });

  it('a flood of fresh keys does not reset a throttled account', () => {
    const throttle = createLoginThrottle({ accountLimit: 3, clientLimit: 1_000_000, maxKeys: 100 });
    for (let i = 0; i < 3; i++) throttle.begin('email:victim@example.com', '203.0.113.9', 1000);
    expect(throttle.begin('email:victim@example.com', '203.0.113.9', 1001)).toBe(false);
    for (let i = 0; i < 99; i++) throttle.begin(`email:junk${i}@example.com`, '203.0.113.9', 1002);
    expect(throttle.begin('email:victim@example.com', '203.0.113.9', 1003)).toBe(false);
  });

  it('a success gives the attempt back and clears the account', () => {
    const throttle = createLoginThrottle({ accountLimit: 2, clientLimit: 2 });
    expect(throttle.begin('a', 'ip', 0)).toBe(true);
    throttle.succeeded('a', 'ip');
    expect(throttle.begin('a', 'ip', 0)).toBe(true);
    expect(throttle.begin('a', 'ip', 0)).toBe(true);
    expect(throttle.begin('b', 'ip', 0)).toBe(false);
  });

  it('bounds sign-ups per client address', () => {
    const throttle = createLoginThrottle({ signUpLimit: 3 });
    expect([1, 2, 3, 4].map(() => throttle.signUp('ip', 0))).toEqual([true, true, true, false]);
    expect(throttle.signUp('other', 0)).toBe(true);
  });
});

describe('till page texts', () => {
  it('carries the POS error and result texts in the page language for every code a cashier can meet', async () => {
    const { createOperator } = await import('../../src/members/operators.js');
    const { MERCHANT_ERRORS } = await import('../../src/errors.js');
    const store = createTestStore('sqlite');
    const merchant = await buildMerchant(store);
    try {
      await createOperator(
        merchant.context.db,
        { username: 'thai', password: 'till-password', displayName: 'T' },
        new Date(),
      );
      const browser = injectBrowser(merchant.app);
      await browser.get('/pos?lang=th');
      await browser.post('/pos/login', { username: 'thai', password: 'till-password' });
      const page = await browser.get('/pos');
      const raw = defined(defined(/data-messages="([^"]*)"/.exec(page.body))[1])
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
      const messages = JSON.parse(raw) as Record<string, string>;
      // Refused at sign-in (the sign-in page says so), never on the till page itself.
      const notForTill = [
        'not_found',
        'body_too_large',
        'unsupported_media_type',
        'login_failed',
        'store_invalid',
      ];
      for (const code of Object.keys(MERCHANT_ERRORS).filter((c) => !notForTill.includes(c))) {
        expect(messages[`pos_${code}`], code).toBeTruthy();
      }
      expect(messages.pos_unknown_code).toBe('ไม่พบสมาชิกที่มีรหัสนี้');
      expect(messages.posBalance).toContain('{points}');
    } finally {
      await merchant.close();
      await store.destroy();
    }
  });
});
