import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { freePort } from '../../../../test-support/free-port.js';
import { main } from '../../src/cli/main.js';
import { openDatabase } from '../../src/store/database.js';
import { DIALECTS } from '../helpers/platform.js';

const BIN = fileURLToPath(new URL('../../bin/mycard.js', import.meta.url));

/**
 * Runs `mycard <args>` in this process through the CLI's `main(argv, io)`: the same code path as the
 * bin, without a cold start per command. The server itself runs as a real process (below).
 */
async function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(DIALECTS)('mycard CLI smoke test on %s', (dialect) => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let server: ChildProcess | undefined;
  let serverOutput = '';
  let dropSchema: (() => Promise<void>) | undefined;
  let databaseUrl = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mycard-cli-test-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    if (dialect === 'postgres') {
      const url = defined(process.env.MYCARD_TEST_DATABASE_URL);
      const schema = `cli_${Math.random().toString(36).slice(2, 12)}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const u = new URL(url);
      u.searchParams.set('options', `-c search_path=${schema}`);
      databaseUrl = u.toString();
      dropSchema = async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      };
    }
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MYCARD_')));
    Object.assign(env, {
      MYCARD_DATA_DIR: dataDir,
      MYCARD_PORT: String(port),
      MYCARD_LOG_LEVEL: 'warn',
      ...(databaseUrl ? { MYCARD_DATABASE_URL: databaseUrl } : {}),
    });
    server = spawn(process.execPath, [BIN, 'platform'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    defined(server.stdout).on('data', (d) => {
      serverOutput += d;
    });
    defined(server.stderr).on('data', (d) => {
      serverOutput += d;
    });
    await waitFor(
      '/readyz',
      async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined),
      30_000,
    ).catch((err) => {
      throw new Error(`${err.message}\n${serverOutput}`);
    });
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => defined(server).once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await dropSchema?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const programCount = async () => {
    const database = openDatabase({ databaseUrl, dataDir });
    try {
      return (await database.db.selectFrom('programs').select('channel_id').execute()).length;
    } finally {
      await database.close();
    }
  };

  it('starts on a fresh data folder, announces the generated dev secrets and prints its URLs', async () => {
    const ready = await (await fetch(`${base}/readyz`)).json();
    expect(ready).toEqual({ status: 'ready', checks: { database: true, keys: true } });
    expect(serverOutput).toContain(`${base}/wallet`);
    expect(serverOutput).toContain(`${base}/console`);
    expect(serverOutput).toContain(`${base}/docs`);
    expect(serverOutput).toContain('generated a master key');
    expect(serverOutput).toContain('generated an ES256 signing key');
  });

  it('program create --json prints credentials that the running platform knows', async () => {
    const res = await run(
      [
        'program',
        'create',
        '--name',
        'Smoke Mart',
        '--binding-url',
        'https://shop.example/bind',
        '--code-type',
        'EAN13',
        '--webhook-url',
        'https://shop.example/hook',
        '--live',
        '--tester',
        'dev:alice',
        '--tester',
        'dev:bob',
        '--json',
      ],
      env,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toEqual({
      channelId: expect.stringMatching(/^[0-9]{10}$/),
      channelSecret: expect.stringMatching(/^[0-9a-f]{64}$/),
      name: 'Smoke Mart',
      codeType: 'EAN13',
      status: 'LIVE',
      bindingUrl: 'https://shop.example/bind',
      webhookUrl: 'https://shop.example/hook',
      issuer: base,
      jwksUrl: `${base}/.well-known/jwks.json`,
      publicKeyPem: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n/),
    });
    expect(await programCount()).toBe(1);
  });

  it('refuses invalid input with exit code 2 and stores nothing', async () => {
    for (const args of [
      ['--name', 'Bad', '--binding-url', 'https://shop.example/bind', '--code-type', 'EAN14'],
      ['--name', 'Bad', '--binding-url', 'http://shop.example/bind', '--code-type', 'EAN13'],
      ['--name', 'Bad', '--code-type', 'EAN13'],
      [
        '--name',
        'Bad',
        '--binding-url',
        'https://shop.example/bind',
        '--code-type',
        'EAN13',
        '--colour',
        'red',
      ],
    ]) {
      const res = await run(['program', 'create', ...args, '--json'], env);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/^mycard: /);
    }
    expect(await programCount()).toBe(1);
  });

  it('creates an operator who can sign in to the console', async () => {
    const created = await run(
      [
        'operator',
        'create',
        '--email',
        'ops@shop.example',
        '--password',
        'a long password',
        '--name',
        'Ops',
        '--json',
      ],
      env,
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).email).toBe('ops@shop.example');
    const res = await fetch(`${base}/v1/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@shop.example', password: 'a long password' }),
    });
    expect(res.status).toBe(200);
    const again = await run(
      ['operator', 'create', '--email', 'ops@shop.example', '--password', 'a long password', '--name', 'X'],
      env,
    );
    expect(again.code).toBe(2);
  });

  it('migrate is idempotent; help, an unknown command and bad configuration exit 0, 2 and 1', async () => {
    const migrated = await run(['migrate', '--json'], env);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout)).toEqual({ dialect, applied: [] });
    const help = await run(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('program create');
    // The whole system is the @mycard/stack launcher's (npm start), not a platform command.
    expect(help.stdout).not.toMatch(/^ {2}start\b/m);
    const start = await run(['start'], env);
    expect(start.code).toBe(2);
    expect(start.stderr).toContain('unknown command "start"');
    const keys = await run(['keys'], env);
    expect(keys.code).toBe(2);
    expect(keys.stderr).toContain('usage: mycard keys rotate [--json]');
    expect((await run(['frobnicate'], env)).code).toBe(2);
    const bad = await run(['migrate'], { ...env, MYCARD_PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('MYCARD_PORT');
    const prod = await run(['migrate'], {
      ...env,
      MYCARD_ENV: 'production',
      MYCARD_IDENTITY: 'line',
      MYCARD_LINE_CHANNEL_ID: '1',
    });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain('MYCARD_MASTER_KEY');
  });

  it('keys rotate: the running platform publishes both keys within seconds', async () => {
    const before = await (await fetch(`${base}/.well-known/jwks.json`)).json();
    expect(before.keys).toHaveLength(1);
    const rotated = await run(['keys', 'rotate', '--json'], env);
    expect(rotated.code).toBe(0);
    const { kid, retired } = JSON.parse(rotated.stdout);
    expect(retired).toEqual([before.keys[0].kid]);
    const jwks = await waitFor(
      'two keys in the JWKS',
      async () => {
        const body = await (await fetch(`${base}/.well-known/jwks.json`)).json();
        return body.keys.length === 2 ? body : undefined;
      },
      12_000,
    );
    expect(jwks.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([kid, before.keys[0].kid].sort());
  }, 20_000);

  it('closes gracefully on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => defined(server).once('exit', (code) => r(code)));
    defined(server).kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
