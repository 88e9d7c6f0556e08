import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { createFakePlatform } from '../support/fake-platform.js';
import { buildMerchant, createTestStore, type TestStore } from '../support/merchant-harness.js';

/** Issue 9.8: the merchant app's request log carries no binding token or nonce (the platform's rule). */
describe('merchant request log', () => {
  let store: TestStore;
  let merchant: MerchantApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const platform = await createFakePlatform();
    store = createTestStore('sqlite', { ...platform.config, logLevel: 'info' });
    merchant = await buildMerchant(store, {
      fetch: platform.fetch,
      logStream: { write: (l) => lines.push(l) },
    });
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('logs /mycard/bind with the token and nonce redacted, and no cookie', async () => {
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtc3ViamVjdCJ9.c2lnbmF0dXJlLXNlY3JldA';
    const nonce = 'Nonce-Secret-Value-1234567890abcdef';
    await merchant.app.inject({
      method: 'GET',
      url: `/mycard/bind?nonce=${nonce}&callback=${encodeURIComponent('http://127.0.0.1:1/cb')}&token=${token}`,
      headers: { cookie: 'merchant_session=cookie-secret-value' },
    });
    const log = lines.join('');
    expect(log).toContain('/mycard/bind?');
    expect(log).toContain('callback=');
    for (const secret of [token, nonce, 'cookie-secret-value', 'c2lnbmF0dXJlLXNlY3JldA'])
      expect(log).not.toContain(secret);
  });
});
