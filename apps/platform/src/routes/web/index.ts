import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { WalletConfig } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { registerLandingPage } from './landing-page.js';
import { contentSecurityPolicy, createSecurityHeaders } from './security-headers.js';
import { createSpaHandler, type SpaSite } from './serve-spa.js';

export interface WebRoutesOptions {
  /** Built wallet (default: apps/wallet/dist of this repository). */
  walletDist?: string;
  /** Built console (default: apps/console/dist). */
  consoleDist?: string;
}

const appsDir = (name: string) => fileURLToPath(new URL(`../../../../${name}/dist`, import.meta.url));

/**
 * The web apps: the wallet (My Card LIFF) at `/wallet/` and the console at `/console/`, built by
 * Vite (`npm run build:web`), with `GET /wallet/config.json` telling the wallet how people sign in.
 * Every response of this area carries the CSP and the other browser security headers.
 */
export async function registerWebRoutes(
  app: FastifyInstance,
  ctx: PlatformContext,
  options: WebRoutesOptions = {},
): Promise<void> {
  const sites: SpaSite[] = [
    {
      base: '/wallet/',
      root: options.walletDist ?? appsDir('wallet'),
      name: 'My Card wallet',
      workspace: 'apps/wallet',
    },
    {
      base: '/console/',
      root: options.consoleDist ?? appsDir('console'),
      name: 'My Card console',
      workspace: 'apps/console',
    },
  ];
  const csp = contentSecurityPolicy({ line: ctx.config.identity === 'line' });
  registerLandingPage(app, ctx);

  await app.register(async (web) => {
    // serve: false — only `reply.sendFile`; this area routes paths itself (SPA fallback, caching).
    await web.register(fastifyStatic, { serve: false });
    web.addHook('onRequest', createSecurityHeaders(csp));

    web.get(
      '/wallet/config.json',
      { schema: { hide: true, response: { 200: WalletConfig } } },
      async (_request, reply) => {
        reply.header('cache-control', 'no-store');
        return { identity: ctx.config.identity, liffId: ctx.config.line.liffId };
      },
    );

    for (const site of sites) {
      const handler = createSpaHandler(site);
      const bare = site.base.slice(0, -1);
      web.get(bare, { schema: { hide: true } }, async (request, reply) => {
        const query = request.url.indexOf('?');
        return reply.redirect(site.base + (query >= 0 ? request.url.slice(query) : ''), 301);
      });
      web.get(site.base, { schema: { hide: true } }, handler);
      web.get(`${site.base}*`, { schema: { hide: true } }, handler);
    }
  });
}
