import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe.each(DIALECTS)('GET /.well-known/jwks.json on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('publishes the EC P-256 signing keys with kid, alg and use, cacheable for 5 minutes', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = res.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: platform.ctx.keys.current().kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(keys[0].d).toBeUndefined();
  });
});
