import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformApp, type PlatformApp } from '../../src/app.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

/** `mycard admin create` in process, on the SQLite database of a data folder, then used by a platform. */
describe('mycard admin create', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mycard-admin-cli-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  const run = async (args: string[], answers?: string[]) => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      env: { MYCARD_DATA_DIR: dataDir, MYCARD_PUBLIC_URL: 'http://127.0.0.1:3800' },
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      ...(answers ? { askHidden: async () => answers.shift() ?? '' } : {}),
    };
    return { code: await main(args, io), stdout, stderr };
  };

  it('prints a one-time sign-in link without a TTY; the link signs in once, as a platform administrator', async () => {
    const created = await run([
      'admin',
      'create',
      '--email',
      'Ops@MyCard.example',
      '--name',
      'Ops',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(out.operator).toMatchObject({ email: 'ops@mycard.example', platformRole: 'platform-admin' });
    const token = new URL(out.signInUrl.replace('#/sign-in-link/', 'link/')).pathname
      .split('/')
      .pop() as string;
    expect(out.signInUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:3800\/console\/#\/sign-in-link\/[A-Za-z0-9_-]{40,}$/,
    );

    let platform: PlatformApp | undefined;
    try {
      platform = await createPlatformApp(
        { dataDir, webhookPollMs: 0, logLevel: 'silent' },
        { logger: false },
      );
      const use = () =>
        platform?.app.inject({ method: 'POST', url: '/v1/console/session/link', payload: { token } });
      const first = await use();
      expect(first?.statusCode).toBe(200);
      expect(first?.json().info.operator.platformRole).toBe('platform-admin');
      const again = await use();
      expect([again?.statusCode, again?.json().returnCode]).toEqual([401, '4001']);
      const forged = await platform.app.inject({
        method: 'POST',
        url: '/v1/console/session/link',
        payload: { token: `${token.slice(0, -2)}xx` },
      });
      expect(forged.json().returnCode).toBe('4001');
    } finally {
      await platform?.close();
    }
  });

  it('asks for the password twice on a TTY and refuses a mismatch or a short one, changing nothing', async () => {
    const short = await run(
      ['admin', 'create', '--email', 'a@mycard.example', '--name', 'A'],
      ['short', 'short'],
    );
    expect(short.code).toBe(2);
    const differ = await run(
      ['admin', 'create', '--email', 'a@mycard.example', '--name', 'A'],
      ['long enough pw', 'other one!!'],
    );
    expect(differ.code).toBe(2);
    const ok = await run(
      ['admin', 'create', '--email', 'a@mycard.example', '--name', 'A'],
      ['long enough pw', 'long enough pw'],
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('created');
    expect(ok.stdout).not.toContain('sign-in-link');
    const bad = await run(['admin', 'create', '--email', 'not-an-email', '--name', 'A']);
    expect(bad.code).toBe(2);
  });
});
