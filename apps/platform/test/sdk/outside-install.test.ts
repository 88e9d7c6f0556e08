/**
 * The merchant SDK as a merchant gets it (issue 8): the platform packs the SDK from this workspace
 * and serves it at /sdk/mycard-merchant.tgz; the tarball is installed with plain `npm install` in an
 * empty folder outside the repository (no workspace links, no tsx), then used with plain `node`
 * (ESM and CommonJS), compiled against with `tsc --strict`, and run through a real binding against
 * this running platform: binding request, Apply, profile update, one-time key, webhook.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { freePort } from '../../../../test-support/free-port.js';
import { REPO_ROOT } from '../../src/cli/web-build.js';
import { dispatchDueWebhooks } from '../../src/webhooks/dispatch-webhooks.js';
import { code, type HttpPlatform, startHttpPlatform, type WalletClient } from '../helpers/http-platform.js';

const FIXTURES = fileURLToPath(new URL('./outside/', import.meta.url));
const SDK_VERSION: string = (
  await import('../../../../packages/merchant/package.json', { with: { type: 'json' } })
).default.version;

/** Plain node in the outside folder: no loader, no conditions, nothing inherited from the test runner. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _o, VITEST: _v, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, ...rest } = process.env;
  return { ...rest, ...extra };
}

/** Runs a command asynchronously: the platform under test answers in this process meanwhile. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = plainEnv()) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function npm(args: string[], cwd: string) {
  const execPath = process.env.npm_execpath;
  return execPath?.endsWith('.js') ? run(process.execPath, [execPath, ...args], cwd) : run('npm', args, cwd);
}

/** Plain node in the outside folder; resolves with the last JSON line it printed. */
async function node(args: string[], cwd: string, env: Record<string, string> = {}): Promise<any> {
  const result = await run(process.execPath, args, cwd, plainEnv(env));
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
}

describe('@mycard/merchant installed from the platform tarball, outside the workspace', () => {
  let platform: HttpPlatform;
  let dir: string;
  let tarball: Buffer;

  beforeAll(async () => {
    platform = await startHttpPlatform('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'mycard-outside-'));
    // The first request packs the SDK from the workspace (tsup build) when dist/sdk has none.
    const res = await fetch(`${platform.url}/sdk/mycard-merchant.tgz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('x-mycard-sdk-version')).toBe(SDK_VERSION);
    tarball = Buffer.from(await res.arrayBuffer());
    writeFileSync(join(dir, 'mycard-merchant.tgz'), tarball);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'outside-shop', private: true }));
    cpSync(FIXTURES, dir, { recursive: true });
    const install = await npm(
      ['install', './mycard-merchant.tgz', '--offline', '--no-audit', '--no-fund'],
      dir,
    );
    expect(install.status, install.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the tarball holds only dist/, package.json, README.md and LICENSE', async () => {
    const listing = await run('tar', ['tzf', join(dir, 'mycard-merchant.tgz')], dir);
    const files = listing.stdout.trim().split('\n').sort();
    expect(files).toEqual([
      'package/LICENSE',
      'package/README.md',
      'package/dist/index.cjs',
      'package/dist/index.d.cts',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/package.json',
    ]);
  });

  it('serves the same bytes under the versioned name, and no other version', async () => {
    const versioned = await fetch(`${platform.url}/sdk/mycard-merchant-${SDK_VERSION}.tgz`);
    expect(versioned.status).toBe(200);
    expect(Buffer.from(await versioned.arrayBuffer()).equals(tarball)).toBe(true);
    const other = await fetch(`${platform.url}/sdk/mycard-merchant-99.0.0.tgz`);
    expect([other.status, (await other.json()).returnCode]).toEqual([404, '4004']);
    expect((await fetch(`${platform.url}/sdk/..%2Fpackage.json`)).status).toBe(404);
  });

  it('installs one package with no dependencies, resolved from its own node_modules', () => {
    expect(readdirSync(join(dir, 'node_modules')).sort()).toEqual(['.package-lock.json', '@mycard']);
    expect(readdirSync(join(dir, 'node_modules', '@mycard'))).toEqual(['merchant']);
  });

  it('imports (ESM) and requires (CommonJS) with plain node', async () => {
    const esm = await node(['esm-smoke.mjs'], dir);
    expect(esm).toMatchObject({ format: 'esm', version: SDK_VERSION, missing: [], errorIsMyCardError: true });
    expect(esm.resolved).toContain('/node_modules/@mycard/merchant/dist/index.js');
    const cjs = await node(['cjs-smoke.cjs'], dir);
    expect(cjs).toMatchObject({ format: 'cjs', version: SDK_VERSION, missing: [] });
    expect(cjs.resolved).toContain('/node_modules/@mycard/merchant/dist/index.cjs');
  });

  it('type-checks a strict TypeScript file (ESM and CommonJS) against the shipped .d.ts', async () => {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const ok = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);
  });

  describe('a real binding against the running platform', () => {
    let wallet: WalletClient;
    let creds: { channelId: string; channelSecret: string };
    let webhookPort: number;
    let env: Record<string, string>;
    let bindingId: string;

    beforeAll(async () => {
      webhookPort = await freePort();
      creds = await platform.program({
        bindingUrl: 'http://localhost:3999/mycard/bind?campaign=spring',
        webhookUrl: `http://127.0.0.1:${webhookPort}/mycard/webhook`,
      });
      wallet = await platform.wallet('outside-user');
      env = {
        MYCARD_PLATFORM_URL: platform.url,
        MYCARD_CHANNEL_ID: creds.channelId,
        MYCARD_CHANNEL_SECRET: creds.channelSecret,
        MYCARD_WEBHOOK_PORT: String(webhookPort),
      };
    });

    it('verifies the binding request and applies', async () => {
      const reserved = await wallet.reserve(creds.channelId);
      const applied = await node(['merchant.mjs', 'bind'], dir, {
        ...env,
        MYCARD_BINDING_PAGE_URL: reserved.redirectUrl,
        MYCARD_MEMBERSHIP_CODE: code(8101),
      });
      bindingId = reserved.bindingId;
      expect(applied.bindingId).toBe(reserved.bindingId);
      expect(applied.callback).toBe(reserved.query.get('callback'));
      const callback = new URL(applied.callbackUrl);
      expect(callback.searchParams.get('status')).toBe('SUCCESS');
      expect(callback.searchParams.get('channelId')).toBe(creds.channelId);
      expect(callback.searchParams.get('token')).toBe(applied.completionToken);
      const row = await platform.ctx.db
        .selectFrom('bindings')
        .selectAll()
        .where('id', '=', bindingId)
        .executeTakeFirstOrThrow();
      expect([row.state, row.membership_code]).toEqual(['APPLIED', code(8101)]);
      const completed = await wallet.post('/v1/bindings/complete', {
        token: applied.completionToken,
        channelId: creds.channelId,
        status: 'SUCCESS',
      });
      expect(completed.status).toBe(200);
    });

    it('receives and verifies the card.completed webhook', async () => {
      const receiver: ChildProcess = spawn(process.execPath, ['merchant.mjs', 'webhook'], {
        cwd: dir,
        env: plainEnv(env),
      });
      let stdout = '';
      defined(receiver.stdout).on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => receiver.on('exit', resolve));
      await new Promise<void>((resolve) => defined(receiver.stderr).once('data', () => resolve()));
      expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 1, failed: 0 });
      expect(await exited).toBe(0);
      expect(JSON.parse(stdout.trim())).toEqual({ verified: true, type: 'card.completed', bindingId });
    });

    it('updates the profile and resolves a one-time key', async () => {
      const updated = await node(['merchant.mjs', 'profile'], dir, { ...env, MYCARD_BINDING_ID: bindingId });
      expect(updated).toEqual({
        bindingId,
        profile: { displayName: 'Outside Tester', points: 120, version: 1 },
      });
      const card = await wallet.get(`/v1/cards/${bindingId}`);
      expect(card.body.info.card.profile).toMatchObject({ displayName: 'Outside Tester', points: 120 });
      const key = (await wallet.post('/v1/mycode', {})).body.info.oneTimeKey as string;
      const resolved = await node(['merchant.mjs', 'one-time-key'], dir, {
        ...env,
        MYCARD_ONE_TIME_KEY: key,
      });
      expect(resolved).toMatchObject({ bindingId, membershipCode: code(8101) });
    });
  });
});
