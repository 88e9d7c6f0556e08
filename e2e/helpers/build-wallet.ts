import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runNode } from './processes.js';

const WALLET = join(ROOT, 'apps/wallet');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the wallet with Vite when dist is missing or older than its sources; returns dist/index.html. */
export async function ensureWalletBuilt(): Promise<string> {
  const index = join(WALLET, 'dist/index.html');
  const sources = Math.max(
    newestSource(join(WALLET, 'src')),
    newestSource(join(WALLET, 'public')),
    statSync(join(WALLET, 'index.html')).mtimeMs,
    statSync(join(WALLET, 'vite.config.ts')).mtimeMs,
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    await runNode(
      [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', WALLET, '--logLevel', 'warn'],
      {},
      180_000,
    ).catch((error: Error) => {
      throw new Error(`building the wallet failed: ${error.message}`);
    });
  }
  return readFileSync(index, 'utf8');
}

/** Script elements of a built index.html that carry inline code (the CSP forbids them). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attrs, body]) => !/\bsrc\s*=/.test(attrs!) || body!.trim() !== '')
    .map(([whole]) => whole);
}
