import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-table.js';
import { main } from '../../src/cli/main.js';

describe('mycard <command> --help', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mycard-help-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(COMMANDS.map((c) => [c.name.join(' '), c] as const))(
    '%s --help prints its usage, exits 0 and touches nothing',
    async (name, command) => {
      let stdout = '';
      let stderr = '';
      // Production mode without any secret would refuse to start: --help must not even read the config.
      const env = { MYCARD_DATA_DIR: dataDir, MYCARD_ENV: 'production' };
      const io = {
        env,
        stdout: (t: string) => {
          stdout += t;
        },
        stderr: (t: string) => {
          stderr += t;
        },
      };
      for (const flag of ['--help', '-h']) {
        stdout = '';
        expect(await main([...command.name, flag], io)).toBe(0);
        expect(stdout.startsWith(`usage: mycard ${name}`)).toBe(true);
        expect(stdout).toContain(command.summary);
      }
      expect(stderr).toBe('');
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );

  it('program create --help does not create ./data/master.key (issue 8)', async () => {
    let stdout = '';
    const io = {
      env: { MYCARD_DATA_DIR: dataDir },
      stdout: (t: string) => {
        stdout += t;
      },
      stderr: () => {},
    };
    expect(await main(['program', 'create', '--name', 'X', '--help'], io)).toBe(0);
    expect(stdout).toContain('--binding-url');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
