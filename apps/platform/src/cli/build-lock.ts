import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuildLockOptions {
  /** Give up waiting for another process after this long (ms). */
  waitMs?: number;
  /** A lock older than this was left by a build that died (ms). */
  staleMs?: number;
}

/**
 * Runs `fn` while holding a lock named after `path`, shared by every process of this machine: a
 * directory in the temp folder, created atomically by `mkdir`. Parallel test files and `npm start`
 * may all find a web app stale at once; one builds it, the others wait and then find it fresh.
 * Synchronous, like the build it guards.
 */
export function withBuildLock<T>(path: string, fn: () => T, options: BuildLockOptions = {}): T {
  const { waitMs = 10 * 60_000, staleMs = 5 * 60_000 } = options;
  const lock = buildLockPath(path);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = lockAge(lock);
    if (age !== undefined && age > staleMs) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`another process has been building ${path} for too long (${lock})`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Where the lock of `path` lives (a directory while held). */
export function buildLockPath(path: string): string {
  return join(tmpdir(), `mycard-build-${createHash('sha256').update(path).digest('hex').slice(0, 16)}.lock`);
}

function lockAge(lock: string): number | undefined {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return undefined; // released meanwhile
  }
}
