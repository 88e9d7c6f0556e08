import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const APP = join(import.meta.dirname, '../../src/app.ts');

describe('the log goes to stdout asynchronously and is flushed by close()', () => {
  it('every line logged before close() is on stdout, even when the process exits right after', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mycard-log-flush-'));
    try {
      // 2000 lines fill the asynchronous buffer while a write is in flight; exit() right after
      // close() leaves no event-loop turn for a pending write: close()'s flush (and pino's own
      // on-exit flush) must deliver them.
      const script = `
        const { createPlatformApp } = await import(${JSON.stringify(APP)});
        const p = await createPlatformApp({ dataDir: ${JSON.stringify(dataDir)}, webhookPollMs: 0, logLevel: 'info' });
        for (let i = 0; i < 2000; i++) p.app.log.info({ line: i }, 'flush-test');
        await p.close();
        process.exit(0);
      `;
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=@mycard/source', '--input-type=module', '-e', script],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const lines = run.stdout
        .split('\n')
        .filter((l) => l.includes('flush-test'))
        .map((l) => JSON.parse(l).line as number);
      expect(lines).toHaveLength(2000);
      expect(lines.at(-1)).toBe(1999);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
