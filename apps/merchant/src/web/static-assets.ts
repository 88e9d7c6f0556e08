import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { MerchantConfig } from '../config.js';

const FILES: Record<string, string> = {
  'style.css': 'text/css; charset=utf-8',
  'pos.js': 'text/javascript; charset=utf-8',
};

/**
 * Serves the site's static files from memory (its style sheet, the till script and the till's
 * barcode decoder), plus `theme.css` with the brand colours (CSS
 * custom properties: the CSP allows no inline style). Cached for an hour.
 */
export function registerStaticAssets(app: FastifyInstance, config: MerchantConfig): void {
  const bodies = new Map<string, string>();
  for (const name of Object.keys(FILES)) {
    bodies.set(name, readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8'));
  }
  const { background, foreground } = config.brand.colors;
  bodies.set('theme.css', `:root { --brand-bg: ${background}; --brand-fg: ${foreground}; }\n`);
  const types: Record<string, string> = { ...FILES, 'theme.css': 'text/css; charset=utf-8' };
  const binary = new Map<string, Buffer>();
  // The till's camera decoder where the browser has no BarcodeDetector: zxing-wasm's browser build
  // and its WebAssembly file, served by this site (no CDN: the CSP allows only 'self').
  const require = createRequire(import.meta.url);
  const wasm = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
  bodies.set(
    'zxing-reader.js',
    readFileSync(join(dirname(wasm), '..', 'iife', 'reader', 'index.js'), 'utf8'),
  );
  types['zxing-reader.js'] = 'text/javascript; charset=utf-8';
  binary.set('zxing_reader.wasm', readFileSync(wasm));
  types['zxing_reader.wasm'] = 'application/wasm';

  // Browsers ask for it on every site; an empty answer keeps the logs and consoles quiet.
  app.get('/favicon.ico', async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  );

  app.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const body = bodies.get(request.params.name) ?? binary.get(request.params.name);
    const type = types[request.params.name];
    if (body === undefined || type === undefined) return reply.code(404).type('text/plain').send('Not found');
    return reply.header('cache-control', 'public, max-age=3600').type(type).send(body);
  });
}
