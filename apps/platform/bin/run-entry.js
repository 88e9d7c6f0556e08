// How a server's `bin` runs its entry point. Production runs the compiled JavaScript in dist/
// (`npm run build`); development runs the TypeScript sources through tsx, with the `@mycard/source`
// export condition so workspace packages resolve to their sources too. Plain JavaScript: it runs
// before any loader exists.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Which build to run: `dist` in production mode (MYCARD_ENV or NODE_ENV is `production`) or when
 * tsx is not installed (`npm ci --omit=dev`), `source` otherwise. Throws when the one it needs is
 * missing, saying how to get it.
 *
 * @param {{ production: boolean, distBuilt: boolean, tsxInstalled: boolean }} facts
 * @returns {'dist' | 'source'}
 */
export function chooseBuild({ production, distBuilt, tsxInstalled }) {
  if (!production && tsxInstalled) return 'source';
  if (distBuilt) return 'dist';
  throw new Error(
    production
      ? 'production mode runs the compiled JavaScript, and dist/ is missing: run `npm run build` first'
      : 'neither tsx (a development dependency) nor a build (dist/) is installed: run `npm ci` or `npm run build`',
  );
}

/** True when the environment asks for production mode. */
export function isProduction(env) {
  return env.MYCARD_ENV === 'production' || env.NODE_ENV === 'production';
}

function tsxInstalled() {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

/**
 * Imports `dist` or `source` (paths relative to `packageUrl`, the package folder as a file URL
 * ending in `/`) and calls its `main(argv)`; sets the exit code from what it resolves to.
 *
 * @param {URL} packageUrl
 * @param {{ source: string, dist: string }} entry
 */
export async function runEntry(packageUrl, entry) {
  let build;
  try {
    build = chooseBuild({
      production: isProduction(process.env),
      distBuilt: existsSync(fileURLToPath(new URL(entry.dist, packageUrl))),
      tsxInstalled: tsxInstalled(),
    });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  let unregister = async () => {};
  if (build === 'source') {
    const tsx = await import('tsx/esm/api');
    unregister = tsx.register();
    register('./source-condition.js', import.meta.url);
  }
  const { main } = await import(new URL(build === 'dist' ? entry.dist : entry.source, packageUrl).href);
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // tsx's loader keeps a channel to its hooks thread open; release it so the process ends by itself.
  await unregister();
  // Should another handle linger anyway, do not hang.
  setTimeout(() => process.exit(code), 2000).unref();
}
