import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebAppBuilt } from '../../apps/platform/src/cli/web-build.js';
import { defined } from '../../test-support/defined.js';
import { ROOT } from './processes.js';

/**
 * Builds a web app the way `npm start` does (Vite, production mode, only when dist is missing or
 * older than its sources) and returns its dist/index.html.
 */
export function builtIndexHtml(app: 'wallet' | 'console'): string {
  ensureWebAppBuilt(app, () => undefined);
  return readFileSync(join(ROOT, 'apps', app, 'dist/index.html'), 'utf8');
}

/** Script elements of a built index.html that carry inline code (the CSP forbids them). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attrs, body]) => !/\bsrc\s*=/.test(defined(attrs)) || defined(body).trim() !== '')
    .map(([whole]) => whole);
}
