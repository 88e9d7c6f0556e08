import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../cli/web-build.js';

/** Where `npm run pack:sdk` and the platform put the merchant SDK tarball (git-ignored). */
export const SDK_TARBALL_DIR = join(REPO_ROOT, 'dist', 'sdk');
const SDK_DIR = join(REPO_ROOT, 'packages', 'merchant');
/** What goes into the tarball: a change to any of these makes it stale. */
const SDK_INPUTS = [
  join(SDK_DIR, 'src'),
  join(SDK_DIR, 'package.json'),
  join(SDK_DIR, 'README.md'),
  join(SDK_DIR, 'LICENSE'),
  join(SDK_DIR, 'tsup.config.ts'),
  join(SDK_DIR, 'tsconfig.build.json'),
  join(REPO_ROOT, 'packages', 'protocol', 'src'),
];

export interface SdkTarball {
  /** Absolute path of `mycard-merchant-<version>.tgz`. */
  file: string;
  version: string;
  /** `built` when this call packed it. */
  status: 'fresh' | 'built';
}

/** The SDK's version, from its package.json (what `npm pack` names the tarball after). */
export function sdkVersion(): string {
  return (JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `@mycard/merchant@0.1.0` packs to `mycard-merchant-0.1.0.tgz`. */
export function sdkTarballName(version: string): string {
  return `mycard-merchant-${version}.tgz`;
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

let building: Promise<SdkTarball> | undefined;

/**
 * The tarball of the merchant SDK this platform was built with: packed from the workspace
 * (`npm pack -w packages/merchant`, whose `prepack` builds dist/ with tsup) when it is missing or
 * older than the SDK's sources, like the web apps. Concurrent callers share one build; the file
 * appears only complete (packed into a temporary folder, then renamed).
 */
export function ensureSdkTarball(log: (line: string) => void = () => {}): Promise<SdkTarball> {
  const version = sdkVersion();
  const file = join(SDK_TARBALL_DIR, sdkTarballName(version));
  if (existsSync(file) && statSync(file).mtimeMs >= Math.max(...SDK_INPUTS.map(newest))) {
    return Promise.resolve({ file, version, status: 'fresh' });
  }
  building ??= packSdk(version, file, log).finally(() => {
    building = undefined;
  });
  return building;
}

async function packSdk(version: string, file: string, log: (line: string) => void): Promise<SdkTarball> {
  log('packing the merchant SDK (npm pack -w packages/merchant)…');
  mkdirSync(SDK_TARBALL_DIR, { recursive: true });
  const staging = mkdtempSync(join(SDK_TARBALL_DIR, '.pack-'));
  try {
    await run(
      npmCommand(),
      ['pack', '--workspace', 'packages/merchant', '--pack-destination', staging, '--silent'],
      REPO_ROOT,
    );
    renameSync(join(staging, sdkTarballName(version)), file);
    return { file, version, status: 'built' };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The npm that runs this process when started by npm; otherwise the one on PATH. */
function npmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath?.endsWith('.js')) return { command: process.execPath, prefix: [execPath] };
  return { command: 'npm', prefix: [] };
}

function run(npm: { command: string; prefix: string[] }, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(npm.command, [...npm.prefix, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`npm pack of packages/merchant failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
