import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { createOperator } from '../../src/members/operators.js';
import { injectBrowser } from '../support/browser.js';
import { buildMerchant, createTestStore, type TestStore } from '../support/merchant-harness.js';

describe('till pages', () => {
  let store: TestStore;
  let merchant: MerchantApp;

  beforeAll(async () => {
    store = createTestStore('sqlite');
    merchant = await buildMerchant(store);
    await createOperator(
      merchant.context.db,
      { username: 'anna', password: 'till-password', displayName: 'Anna' },
      new Date(),
    );
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('logs an operator in and serves the till with an external, CSP-safe script', async () => {
    const browser = injectBrowser(merchant.app);
    const login = await browser.get('/pos');
    expect(login.body).toContain('action="/pos/login"');
    // A wrong password: 303 back to the login (post/redirect/get), saying "user name", not "e-mail".
    const wrong = await browser.submit('/pos/login', { username: 'anna', password: 'wrong-password' });
    expect([wrong.posted.statusCode, wrong.posted.headers.location]).toEqual([303, '/pos']);
    expect(wrong.page.body).toContain('Wrong user name or password.');
    expect(wrong.page.body).not.toContain('e-mail');
    expect(wrong.page.body).toContain('value="anna"');
    const ok = await browser.post('/pos/login', { username: 'anna', password: 'till-password' });
    expect(ok.statusCode).toBe(303);
    const till = await browser.get('/pos');
    expect(till.body).toContain('<script src="/static/pos.js" defer></script>');
    expect(till.body).toContain('<script src="/static/zxing-reader.js" defer></script>');
    // The result banner comes before the form: where the cashier looks on a phone.
    expect(till.body.indexOf('id="result"')).toBeLessThan(till.body.indexOf('id="till"'));
    expect(till.body).toMatch(/id="result"[^>]*aria-live="polite"/);
    expect(till.body).not.toMatch(/<script>(?!<\/script>)/);
    expect(till.body).toContain('data-currency="TWD"');
    expect(till.body).toMatch(/<meta name="csrf-token" content="[A-Za-z0-9_-]{43}">/);
    expect(till.headers['content-security-policy']).toContain("script-src 'self'");

    const script = await merchant.app.inject({ method: 'GET', url: '/static/pos.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('BarcodeDetector');
    const decoder = await merchant.app.inject({ method: 'GET', url: '/static/zxing-reader.js' });
    expect(decoder.body).toContain('ZXingWASM');
    const wasm = await merchant.app.inject({ method: 'GET', url: '/static/zxing_reader.wasm' });
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    const theme = await merchant.app.inject({ method: 'GET', url: '/static/theme.css' });
    expect(theme.body).toContain('--brand-bg: #0f766e');
    expect((await merchant.app.inject({ method: 'GET', url: '/static/../app.ts' })).statusCode).toBe(404);
  });

  it('answers health, readiness, and unknown paths', async () => {
    expect((await merchant.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await merchant.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const api = await merchant.app.inject({ method: 'GET', url: '/api/pos/nothing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    const page = await merchant.app.inject({
      method: 'GET',
      url: '/nothing',
      headers: { 'accept-language': 'th' },
    });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('ไม่พบหน้านี้');
  });
});
