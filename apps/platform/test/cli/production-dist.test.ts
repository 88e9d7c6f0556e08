import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/free-port.js';
import { chooseBuild, isProduction } from '../../bin/run-entry.js';
import { main } from '../../src/cli/main.js';
import { generateMasterKey } from '../../src/crypto/secret-box.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PLATFORM = join(ROOT, 'apps/platform');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

describe('production mode runs the compiled JavaScript', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mycard-prod-test-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('the bin picks dist/ in production even with tsx installed, the sources only in development', () => {
    expect(chooseBuild({ production: true, distBuilt: true, tsxInstalled: true })).toBe('dist');
    expect(() => chooseBuild({ production: true, distBuilt: false, tsxInstalled: true })).toThrow(
      /npm run build/,
    );
    expect(chooseBuild({ production: false, distBuilt: true, tsxInstalled: true })).toBe('source');
    // An install without development dependencies (no tsx) runs what was built.
    expect(chooseBuild({ production: false, distBuilt: true, tsxInstalled: false })).toBe('dist');
    expect(() => chooseBuild({ production: false, distBuilt: false, tsxInstalled: false })).toThrow(/npm ci/);
    expect(isProduction({ MYCARD_ENV: 'production' })).toBe(true);
    expect(isProduction({ NODE_ENV: 'production' })).toBe(true);
    expect(isProduction({ MYCARD_ENV: 'development', NODE_ENV: 'test' })).toBe(false);
  });

  it('`npm run build` output starts with MYCARD_ENV=production and answers /healthz', async () => {
    // The platform's build (`npm run build -w apps/platform`); incremental, so a fresh dist is a no-op.
    execFileSync(process.execPath, [TSC, '-b', 'tsconfig.build.json'], { cwd: PLATFORM, stdio: 'pipe' });
    expect(existsSync(join(PLATFORM, 'dist/cli/main.js'))).toBe(true);

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MYCARD_'))),
      NODE_ENV: 'production',
      MYCARD_ENV: 'production',
      MYCARD_PORT: String(port),
      MYCARD_PUBLIC_URL: 'https://mycard.example',
      MYCARD_DATA_DIR: dataDir,
      MYCARD_MASTER_KEY: generateMasterKey(),
      MYCARD_IDENTITY: 'line',
      MYCARD_LINE_CHANNEL_ID: '1234567890',
      MYCARD_LINE_LIFF_ID: '1234567890-abcdefgh',
      MYCARD_LOG_LEVEL: 'warn',
    };
    // Production never generates keys on its own: the operator makes the first one.
    const quiet = { stdout: () => {}, stderr: () => {} };
    expect(await main(['keys', 'rotate'], { env, ...quiet })).toBe(0);

    const child = spawn(process.execPath, [join(PLATFORM, 'bin/mycard.js'), 'platform'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = once(child, 'exit').then(([code]) => code);
    try {
      const deadline = Date.now() + 30_000;
      let health: Response | undefined;
      while (!health?.ok) {
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`no /healthz:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      }
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(output).toContain('My Card platform is up (production mode, line identity, sqlite)');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
