import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { freePort } from '../../../../test-support/free-port.js';
import type { MerchantApp, MerchantAppOptions } from '../../src/app.js';
import type { MerchantConfigInput } from '../../src/config.js';
import { createOperator } from '../../src/members/operators.js';
import {
  buildMerchant,
  CookieJar,
  createTestStore,
  type Dialect,
  type TestStore,
} from './merchant-harness.js';

const CLI = join(import.meta.dirname, '../../../platform/bin/mycard.js');

export interface PlatformProcess {
  url: string;
  dataDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** `mycard program create … --json`. */
  createProgram(input: {
    name: string;
    bindingUrl: string;
    webhookUrl?: string;
  }): Promise<ProgramCredentials>;
  destroy(): Promise<void>;
}

export interface ProgramCredentials {
  channelId: string;
  channelSecret: string;
  jwksUrl: string;
  publicKeyPem: string;
}

/** The real My Card Server as a child process on a free loopback port, with a temp data dir. */
export async function spawnPlatform(): Promise<PlatformProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'mycard-platform-'));
  const env = {
    ...process.env,
    MYCARD_PORT: String(port),
    MYCARD_HOST: '127.0.0.1',
    MYCARD_PUBLIC_URL: url,
    MYCARD_DATA_DIR: dataDir,
    MYCARD_IDENTITY: 'dev',
    MYCARD_LOG_LEVEL: 'warn',
    MYCARD_DATABASE_URL: '',
    MYCARD_PASSWORD_COST: 'test',
  };
  let child: ChildProcess | undefined;
  let output = '';

  const platform: PlatformProcess = {
    url,
    dataDir,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      child = spawn(process.execPath, [CLI, 'platform'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (d) => {
        output = (output + String(d)).slice(-4000);
      });
      child.stderr?.on('data', (d) => {
        output = (output + String(d)).slice(-4000);
      });
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`platform exited: ${output}`);
        const ok = await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`platform not ready: ${output}`);
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    async createProgram(input) {
      const args = [
        CLI,
        'program',
        'create',
        '--name',
        input.name,
        '--binding-url',
        input.bindingUrl,
        '--code-type',
        'EAN13',
        '--live',
        '--json',
      ];
      if (input.webhookUrl) args.push('--webhook-url', input.webhookUrl);
      const { stdout } = await promisify(execFile)(process.execPath, args, { env });
      return JSON.parse(stdout) as ProgramCredentials;
    },
    async destroy() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await platform.start();
  return platform;
}

/**
 * The platform process one test file shares: spawned before the file's tests (90 s allowed: it
 * starts and migrates), destroyed after them. Its fields and methods are for hooks and tests.
 */
export function platformForFile(): PlatformProcess {
  let running: PlatformProcess | undefined;
  const get = () => {
    if (!running) throw new Error('the platform starts in beforeAll: use it in a hook or a test');
    return running;
  };
  beforeAll(async () => {
    running = await spawnPlatform();
  }, 90_000);
  afterAll(async () => {
    await running?.destroy();
  });
  return {
    get url() {
      return get().url;
    },
    get dataDir() {
      return get().dataDir;
    },
    start: () => get().start(),
    stop: () => get().stop(),
    createProgram: (input) => get().createProgram(input),
    destroy: () => get().destroy(),
  };
}

/**
 * `fetch` that passes every request on and shows `record` the JSON body and the answer of those to
 * a URL ending in `path` (what the merchant's SDK sent the platform, and what it said).
 */
export function recordingFetch(
  path: string,
  record: (body: Record<string, unknown>, res: Response) => void,
): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (String(input).endsWith(path)) record(JSON.parse(String(init?.body)), res);
    return res;
  };
}

export interface LinkedMerchant {
  /** The merchant's base URL (loopback, its own free port). */
  url: string;
  /** The program the platform registered for it. */
  program: ProgramCredentials;
  store: TestStore;
  merchant: MerchantApp;
  /** Closes the merchant and starts a new one on the same store and port; returns it. */
  restart(): Promise<MerchantApp>;
  /** Closes the merchant and removes its store. */
  destroy(): Promise<void>;
}

/**
 * A merchant listening on a free loopback port, linked to `platform`: the platform registers a
 * "Demo Mart" program binding to it (and sending webhooks to it with `webhook`), the merchant
 * syncs to the platform with that program's credentials, and has a `cashier` operator
 * (password `cashier-password`).
 */
export async function startLinkedMerchant(
  platform: PlatformProcess,
  dialect: Dialect,
  options: { webhook?: boolean; maxDelayMs: number; app?: MerchantAppOptions; config?: MerchantConfigInput },
): Promise<LinkedMerchant> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const program = await platform.createProgram({
    name: 'Demo Mart',
    bindingUrl: `${url}/mycard/bind`,
    ...(options.webhook ? { webhookUrl: `${url}/mycard/webhook` } : {}),
  });
  const store = createTestStore(dialect, {
    port,
    publicUrl: url,
    platformUrl: platform.url,
    channelId: program.channelId,
    channelSecret: program.channelSecret,
    sync: { pollMs: 100, baseDelayMs: 100, maxDelayMs: options.maxDelayMs },
    ...options.config,
  });
  const start = async () => {
    const merchant = await buildMerchant(store, options.app);
    await merchant.app.listen({ port, host: '127.0.0.1' });
    return merchant;
  };
  const linked: LinkedMerchant = {
    url,
    program,
    store,
    merchant: await start(),
    async restart() {
      await linked.merchant.close();
      linked.merchant = await start();
      return linked.merchant;
    },
    async destroy() {
      await linked.merchant.close();
      await store.destroy();
    },
  };
  await createOperator(
    linked.merchant.context.db,
    { username: 'cashier', password: 'cashier-password', displayName: 'Cashier' },
    new Date(),
  );
  return linked;
}

/** A wallet user's browser against the platform's wallet API (dev identity). */
export function walletClient(platformUrl: string) {
  const jar = new CookieJar();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platformUrl}${path}`, {
      method,
      headers: {
        cookie: jar.header(),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    jar.storeFrom(res.headers);
    const json = (await res.json().catch(() => ({}))) as { returnCode?: string; info?: any };
    return { status: res.status, ...json };
  };
  return {
    jar,
    signIn: (userId: string) => call('POST', '/v1/session/dev', { userId, displayName: userId }),
    reserve: (channelId: string) => call('POST', '/v1/bindings', { channelId }),
    complete: (token: string, channelId: string, status: string) =>
      call('POST', '/v1/bindings/complete', { token, channelId, status }),
    cards: () => call('GET', '/v1/cards'),
    inbox: () => call('GET', '/v1/inbox'),
    myCode: () => call('POST', '/v1/mycode', {}),
  };
}

/** A member's browser against the merchant site over real HTTP (no redirects followed). */
export function merchantBrowser(merchantUrl: string) {
  const jar = new CookieJar();
  let csrf = '';
  const remember = (body: string) => {
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (m) csrf = defined(m[1]);
  };
  return {
    jar,
    async get(url: string) {
      const res = await fetch(url.startsWith('http') ? url : `${merchantUrl}${url}`, {
        headers: { cookie: jar.header() },
        redirect: 'manual',
      });
      jar.storeFrom(res.headers);
      const body = await res.text();
      remember(body);
      return { status: res.status, location: res.headers.get('location'), body };
    },
    async post(path: string, form: Record<string, string>) {
      const res = await fetch(`${merchantUrl}${path}`, {
        method: 'POST',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
        redirect: 'manual',
      });
      jar.storeFrom(res.headers);
      const body = await res.text();
      remember(body);
      return { status: res.status, location: res.headers.get('location'), body };
    },
  };
}

/** A POS terminal against the merchant's JSON API over real HTTP. */
export async function posTerminal(merchantUrl: string, username: string, password: string) {
  const jar = new CookieJar();
  const login = await fetch(`${merchantUrl}/api/pos/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  jar.storeFrom(login.headers);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (path: string, body: unknown) => {
    const res = await fetch(`${merchantUrl}/api/pos/${path}`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

/**
 * A new member signs up on the merchant's binding page and adds the card in the wallet (the whole
 * binding over HTTP). Resolves with the member's login, the wallet and the binding id.
 */
export async function linkNewMember(
  platformUrl: string,
  merchantUrl: string,
  channelId: string,
  name: string,
): Promise<{ login: string; wallet: ReturnType<typeof walletClient>; bindingId: string }> {
  const wallet = walletClient(platformUrl);
  const signedIn = await wallet.signIn(name);
  if (signedIn.status !== 200) throw new Error(`wallet sign-in: ${JSON.stringify(signedIn)}`);
  const reserve = await wallet.reserve(channelId);
  if (reserve.status !== 201) throw new Error(`reserve: ${JSON.stringify(reserve)}`);
  const browser = merchantBrowser(merchantUrl);
  await browser.get(reserve.info.redirectUrl);
  await browser.get('/mycard/bind/start');
  const login = `${name}@example.com`;
  const signup = await browser.post('/mycard/bind/signup', {
    displayName: name,
    login,
    password: `${name}-password`,
  });
  if (signup.status !== 303)
    throw new Error(`merchant sign-up: ${signup.status} ${signup.body.slice(0, 500)}`);
  const token = defined(new URL(defined(signup.location)).searchParams.get('token'));
  const completed = await wallet.complete(token, channelId, 'SUCCESS');
  if (completed.status !== 200) throw new Error(`complete: ${JSON.stringify(completed)}`);
  return { login, wallet, bindingId: reserve.info.bindingId as string };
}
