import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformContext } from '../../platform/src/context.js';
import { registerWebRoutes } from '../../platform/src/routes/web/index.js';

// The platform route that serves this app (apps/platform/src/routes/web), against a stand-in dist.
let dir: string;
let app: FastifyInstance;

const ctx = (identity: 'dev' | 'line') =>
  ({
    config: { identity, line: { liffId: identity === 'line' ? '1234567890-AbCd' : '' } },
  }) as PlatformContext;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mycard-web-'));
  mkdirSync(join(dir, 'wallet/assets'), { recursive: true });
  writeFileSync(join(dir, 'wallet/index.html'), '<!doctype html><title>My Card</title><div id="root"></div>');
  writeFileSync(join(dir, 'wallet/assets/index-AbCd1234.js'), 'console.log(1)');
  writeFileSync(join(dir, 'wallet/icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  app = Fastify();
  await registerWebRoutes(app, ctx('dev'), {
    walletDist: join(dir, 'wallet'),
    consoleDist: join(dir, 'console'),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('platform web route: /wallet/', () => {
  it('serves index.html, never cached, with a strict CSP and no referrer', async () => {
    const res = await app.inject('/wallet/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('falls back to index.html for deep links such as the binding callback', async () => {
    const res = await app.inject('/wallet/bindings/callback?token=abc&channelId=1234567890&status=SUCCESS');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for a year, other files briefly', async () => {
    const asset = await app.inject('/wallet/assets/index-AbCd1234.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const icon = await app.inject('/wallet/icon.svg');
    expect(icon.headers['cache-control']).toBe('public, max-age=300');
  });

  it('answers 404 for a missing asset instead of index.html', async () => {
    const res = await app.inject('/wallet/assets/index-Gone0000.js');
    expect(res.statusCode).toBe(404);
  });

  it('never leaves the dist folder', async () => {
    for (const url of ['/wallet/../secret.txt', '/wallet/%2e%2e/secret.txt', '/wallet/..%2fsecret.txt']) {
      const res = await app.inject(url);
      expect(res.body, url).not.toContain('outside the root');
    }
  });

  it('redirects /wallet to /wallet/ keeping the query', async () => {
    const res = await app.inject('/wallet?token=t');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/wallet/?token=t');
  });

  it('tells the wallet how people sign in', async () => {
    const res = await app.inject('/wallet/config.json');
    expect(res.json()).toEqual({ identity: 'dev', liffId: '' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('explains what to run when an app is not built', async () => {
    const res = await app.inject('/console/programs/1234567890');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    expect(res.body).not.toContain('<script');
  });
});

describe('platform web route in LINE mode', () => {
  it('gives the LIFF id and lets LIFF reach LINE', async () => {
    const line = Fastify();
    await registerWebRoutes(line, ctx('line'), {
      walletDist: join(dir, 'wallet'),
      consoleDist: join(dir, 'c'),
    });
    const res = await line.inject('/wallet/config.json');
    expect(res.json()).toEqual({ identity: 'line', liffId: '1234567890-AbCd' });
    expect(String(res.headers['content-security-policy'])).toContain('https://api.line.me');
    await line.close();
  });
});
