import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLockPath, withBuildLock } from '../../src/cli/build-lock.js';

const LOCK_MODULE = fileURLToPath(new URL('../../src/cli/build-lock.ts', import.meta.url));
const target = () => join(tmpdir(), `build-lock-test-${process.pid}-${Math.random().toString(36).slice(2)}`);

describe('withBuildLock (one web-app build at a time across processes)', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(buildLockPath(path), { recursive: true, force: true });
  });

  it('runs the build, returns its result and releases the lock', () => {
    const path = target();
    made.push(path);
    expect(withBuildLock(path, () => 'built')).toBe('built');
    expect(existsSync(buildLockPath(path))).toBe(false);
    expect(withBuildLock(path, () => 'again', { waitMs: 0 })).toBe('again');
  });

  it('releases the lock when the build throws', () => {
    const path = target();
    made.push(path);
    expect(() =>
      withBuildLock(path, () => {
        throw new Error('vite failed');
      }),
    ).toThrow('vite failed');
    expect(existsSync(buildLockPath(path))).toBe(false);
  });

  it('waits for a lock another process holds, and gives up without building', () => {
    const path = target();
    made.push(path);
    mkdirSync(buildLockPath(path));
    let built = false;
    expect(() =>
      withBuildLock(
        path,
        () => {
          built = true;
        },
        { waitMs: 300 },
      ),
    ).toThrow(/another process has been building/);
    expect(built).toBe(false);
  });

  it('takes over a lock left by a build that died', () => {
    const path = target();
    made.push(path);
    mkdirSync(buildLockPath(path));
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(buildLockPath(path), tenMinutesAgo, tenMinutesAgo);
    expect(withBuildLock(path, () => 'built', { waitMs: 0 })).toBe('built');
  });

  it('two processes building at once take turns', async () => {
    const path = target();
    made.push(path);
    const dir = mkdtempSync(join(tmpdir(), 'build-lock-log-'));
    const log = join(dir, 'log');
    // Each "build" writes start, sleeps 400 ms, writes end: overlapping builds would interleave.
    const script = `
      import { appendFileSync } from 'node:fs';
      const { withBuildLock } = await import(${JSON.stringify(LOCK_MODULE)});
      withBuildLock(${JSON.stringify(path)}, () => {
        appendFileSync(${JSON.stringify(log)}, 'start\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
        appendFileSync(${JSON.stringify(log)}, 'end\\n');
      });`;
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    try {
      await Promise.all([run(), run()]);
      expect(readFileSync(log, 'utf8')).toBe('start\nend\nstart\nend\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
