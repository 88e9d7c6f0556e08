import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformContext } from '../../src/context.js';
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
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('redirects to the wallet in production', async () => {
    const app = Fastify();
    registerLandingPage(app, {
      config: { mode: 'production', publicUrl: 'https://mycard.example' },
    } as PlatformContext);
    const res = await app.inject('/');
    expect([res.statusCode, res.headers.location]).toEqual([302, '/wallet/']);
    await app.close();
  });
});
