import { createHash } from 'node:crypto';
import { catalogueProblems } from '@mycard/web-kit/i18n-check';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { PlatformContext } from '../../src/context.js';
import { en, LANDING_MESSAGES } from '../../src/routes/web/landing-messages.js';
import { registerLandingPage } from '../../src/routes/web/landing-page.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('GET / (issue 11 item 13)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('answers a small page with links to the wallet, the console and the docs in development', async () => {
    const res = await platform.app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).not.toContain('4004');
    for (const href of ['/wallet/', '/console/', '/docs']) expect(res.body).toContain(`href="${href}"`);
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // Without the launcher nothing runs beside the platform: the page says how to get the demo.
    expect(res.body).toContain('No demo merchant runs with this platform.');
  });

  it('allows no script and only its own style (by hash)', async () => {
    const res = await platform.app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    const style = defined(res.body.match(/<style>([\s\S]*?)<\/style>/)?.[1]);
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
  });

  it('speaks the four languages: ?lang=, then Accept-Language (zh-Hant → zh-TW), then English', async () => {
    const cases: [Record<string, string>, string, string, string][] = [
      [{}, '/?lang=ja', 'ja', 'ウォレット（My Card）'],
      [{}, '/?lang=th', 'th', 'วอลเล็ต (My Card)'],
      [{ 'accept-language': 'zh-Hant-TW,zh;q=0.9,en;q=0.5' }, '/', 'zh-TW', '錢包（My Card）'],
      [{ 'accept-language': 'fr-FR, ja;q=0.8' }, '/', 'ja', 'ウォレット（My Card）'],
      [{ 'accept-language': 'fr-FR' }, '/', 'en', 'The wallet (My Card)'],
      [{ 'accept-language': 'ja' }, '/?lang=en', 'en', 'The wallet (My Card)'],
    ];
    for (const [headers, url, lang, wallet] of cases) {
      const res = await platform.app.inject({ url, headers });
      expect([url, headers, res.body.match(/<html lang="([^"]+)">/)?.[1]]).toEqual([url, headers, lang]);
      expect(res.body).toContain(wallet);
    }
    // The switcher links each other language, named in itself.
    const page = (await platform.app.inject('/?lang=en')).body;
    expect(page).toContain('<a href="/?lang=zh-TW" hreflang="zh-TW" lang="zh-TW">繁體中文</a>');
    expect(page).toContain('<strong>English</strong>');
  });

  it('every language has exactly the English keys, with the same ICU arguments', () => {
    for (const [language, catalogue] of Object.entries(LANDING_MESSAGES)) {
      expect([language, catalogueProblems(en, catalogue)]).toEqual([language, []]);
    }
  });

  it('lists the demo merchant and the demo logins the launcher runs, as text', async () => {
    platform.ctx.landing = {
      merchant: {
        name: 'Demo <Mart>',
        memberSite: 'http://localhost:4000/',
        bindingPage: 'http://localhost:4000/mycard/bind',
        pos: 'http://localhost:4000/pos',
      },
      logins: [
        { role: 'logins.console', login: 'owner@demo-mart.test', password: 'pw-"console"' },
        { role: 'logins.operator', login: 'cashier', password: 'pw-till' },
      ],
    };
    try {
      const res = await platform.app.inject('/');
      expect(res.body).toContain('Demo merchant: Demo &lt;Mart&gt;');
      for (const href of [
        'http://localhost:4000/',
        'http://localhost:4000/mycard/bind',
        'http://localhost:4000/pos',
      ]) {
        expect(res.body).toContain(`href="${href}"`);
      }
      expect(res.body).toContain(
        'owner@demo-mart.test</span> / <span class="mono">pw-&quot;console&quot;</span>',
      );
      expect(res.body).toContain('<dt>Till operator</dt>');
      expect(res.body).not.toContain('No demo merchant runs');
    } finally {
      delete platform.ctx.landing;
    }
  });

  it('redirects to the wallet in production', async () => {
    const app = Fastify();
    registerLandingPage(app, {
      config: { mode: 'production', publicUrl: 'https://mycard.example' },
      landing: { merchant: { name: 'x', memberSite: 'x', bindingPage: 'x', pos: 'x' } },
    } as PlatformContext);
    const res = await app.inject('/');
    expect([res.statusCode, res.headers.location]).toEqual([302, '/wallet/']);
    await app.close();
  });
});
