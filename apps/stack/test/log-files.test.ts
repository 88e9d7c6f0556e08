import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLogFiles } from '../src/log-files.js';

describe('the launcher’s log files (issue 11 item 14)', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('appends every line to <data>/logs/<server>.log; only warnings and errors reach the terminal', () => {
    dir = mkdtempSync(join(tmpdir(), 'mycard-logs-'));
    const terminal: string[] = [];
    const logs = openLogFiles(dir, (line) => terminal.push(line));
    const platform = logs.stream('platform');
    const request = JSON.stringify({ level: 30, msg: 'request completed', req: { url: '/readyz' } });
    const warning = JSON.stringify({ level: 40, msg: 'webhook endpoint slow' });
    const error = JSON.stringify({ level: 50, msg: 'delivery failed', err: { message: 'ECONNREFUSED' } });
    platform.write(`${request}\n`);
    platform.write(`${warning}\n`);
    logs.stream('merchant').write(`${error}\n`);

    expect(logs.dir).toBe(join(dir, 'logs'));
    expect(readFileSync(logs.file('platform'), 'utf8')).toBe(`${request}\n${warning}\n`);
    expect(readFileSync(logs.file('merchant'), 'utf8')).toBe(`${error}\n`);
    expect(terminal).toEqual([
      'platform: warning: webhook endpoint slow',
      'merchant: error: delivery failed (ECONNREFUSED)',
    ]);
  });

  it('a line that is not a log entry goes to the file only', () => {
    dir = mkdtempSync(join(tmpdir(), 'mycard-logs-'));
    const terminal: string[] = [];
    const logs = openLogFiles(dir, (line) => terminal.push(line));
    logs.stream('platform').write('not json');
    expect(readFileSync(logs.file('platform'), 'utf8')).toBe('not json\n');
    expect(terminal).toEqual([]);
  });
});
