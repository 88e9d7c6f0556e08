import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBuildLock } from './build-lock.js';

/** The repository root (apps/platform/src/cli → four levels up). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

/**
 * Builds a web app (apps/wallet, apps/console) with Vite when its dist is missing or older than its
 * sources, so `npm start` serves current pages without a separate build step. Returns what it did.
 */
export function ensureWebAppBuilt(app: 'wallet' | 'console', log: (line: string) => void): 'fresh' | 'built' {
  const dir = join(REPO_ROOT, 'apps', app);
  const index = join(dir, 'dist', 'index.html');
  const sources = Math.max(
    newest(join(dir, 'src')),
    newest(join(dir, 'public')),
    newest(join(dir, 'index.html')),
    newest(join(dir, 'vite.config.ts')),
  );
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= sources;
  if (fresh()) return 'fresh';
  // Another process (a parallel test file, a second `npm start`) may be building it right now: one
  // build at a time, and whoever waited finds it fresh.
  return withBuildLock(dir, () => {
    if (fresh()) return 'fresh';
    log(`building the ${app} web app (vite build)…`);
    const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', dir, '--logLevel', 'warn'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) throw new Error(`building apps/${app} failed (exit ${result.status})`);
    return 'built';
  });
}
