import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import { freePort } from '../../../test-support/free-port.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/mycard-stack.js', import.meta.url));

interface Launched {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves when the output contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv): Launched {
  // Its own process group, so Ctrl+C can be imitated for `npm start` and everything it started.
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  defined(child.stdout).on('data', (d) => {
    log += d;
  });
  defined(child.stderr).on('data', (d) => {
    log += d;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => log,
    exited,
    async waitForOutput(text, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!log.includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before "${text}":\n${log}`);
        if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

async function waitForOk(launched: Launched, url: string, timeoutMs = 120_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (launched.child.exitCode !== null) {
      throw new Error(`launcher exited (${launched.child.exitCode}):\n${launched.output()}`);
    }
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return response.json();
    if (Date.now() > deadline) throw new Error(`${url} did not answer:\n${launched.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A JSON POST whose body is sent in two halves: `started` resolves once the server has read the
 * headers (it answered `100 Continue`, so the request is in flight), `finish()` sends the rest and
 * resolves with the response.
 */
function heldRequest(url: string, body: unknown) {
  const text = JSON.stringify(body);
  const req = request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      expect: '100-continue',
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        data += d;
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
  });
  const started = once(req, 'continue').then(() => {
    req.write(text.slice(0, 5));
  });
  req.flushHeaders();
  return {
    started,
    finish: () => {
      req.end(text.slice(5));
      return response;
    },
  };
}

describe('the @mycard/stack launcher', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let platformUrl: string;
  let merchantHealth: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mycard-stack-test-'));
    const [platformPort, merchantPort] = [await freePort(), await freePort()];
    platformUrl = `http://127.0.0.1:${platformPort}`;
    merchantHealth = `http://127.0.0.1:${merchantPort}/healthz`;
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MYCARD_')));
    Object.assign(env, {
      NODE_ENV: 'development',
      MYCARD_DATA_DIR: dataDir,
      MYCARD_PORT: String(platformPort),
      MYCARD_LOG_LEVEL: 'warn',
      MYCARD_MERCHANT_PORT: String(merchantPort),
      MYCARD_MERCHANT_LOG_LEVEL: 'warn',
    });
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('`npm start` on a fresh data folder reaches both health endpoints and prints URLs and logins', async () => {
    const started = launch('npm', ['start'], env);
    try {
      expect(await waitForOk(started, merchantHealth)).toEqual({ status: 'ok' });
      expect(await waitForOk(started, `${platformUrl}/readyz`)).toEqual({
        status: 'ready',
        checks: { database: true, keys: true },
      });
      await started.waitForOutput('Press Ctrl+C to stop.');
      const consoleLogin = JSON.parse(readFileSync(join(dataDir, 'console-demo-login.json'), 'utf8'));
      const demo = JSON.parse(readFileSync(join(dataDir, 'merchant', 'demo-logins.json'), 'utf8'));
      const out = started.output();
      expect(out).toMatch(/registered the Demo Mart program \(channel [0-9]{10}, LIVE\)/);
      expect(out).toContain(`wallet          ${platformUrl}/wallet/`);
      expect(out).toContain(`console         ${platformUrl}/console/`);
      expect(out).toContain(`POS             http://localhost:${new URL(merchantHealth).port}/pos`);
      expect(out).toContain(`console         ${consoleLogin.email} / ${consoleLogin.password}`);
      const adminLogin = JSON.parse(readFileSync(join(dataDir, 'admin-demo-login.json'), 'utf8'));
      expect(out).toContain(`platform admin  ${adminLogin.email} / ${adminLogin.password}`);
      expect(out).toContain(`POS operator    ${demo.operator.username} / ${demo.operator.password}`);
    } finally {
      // Ctrl+C in a terminal signals the whole process group: npm and the launcher.
      process.kill(-defined(started.child.pid), 'SIGINT');
      await started.exited;
    }
    expect(started.output()).toContain('platform stopped');
  }, 180_000);

  it('SIGTERM with a request in flight on each server: both complete, merchant first, exit 0', async () => {
    const running = launch(process.execPath, [BIN], env);
    try {
      await waitForOk(running, merchantHealth);
      await waitForOk(running, `${platformUrl}/readyz`);
      // A second start on the same data folder reuses the program and the logins.
      expect(running.output()).not.toContain('registered the');
      const demo = JSON.parse(readFileSync(join(dataDir, 'merchant', 'demo-logins.json'), 'utf8'));

      const merchantBase = merchantHealth.replace('/healthz', '');
      const atMerchant = heldRequest(`${merchantBase}/api/pos/session`, {
        username: demo.operator.username,
        password: demo.operator.password,
      });
      const atPlatform = heldRequest(`${platformUrl}/v1/session/dev`, { userId: 'drain', displayName: 'D' });
      await Promise.all([atMerchant.started, atPlatform.started]);

      running.child.kill('SIGTERM');
      await running.waitForOutput('stopping: the merchant first, then the platform');
      // The merchant waits for its in-flight request; the platform keeps serving meanwhile.
      await new Promise((r) => setTimeout(r, 300));
      expect(running.output()).not.toContain('merchant stopped');
      const merchantResponse = await atMerchant.finish();
      expect(merchantResponse.status).toBe(200);
      expect(JSON.parse(merchantResponse.body)).toHaveProperty('csrfToken');

      await running.waitForOutput('merchant stopped');
      expect(running.output()).not.toContain('platform stopped');
      const platformResponse = await atPlatform.finish();
      expect(platformResponse.status).toBe(200);
      expect(JSON.parse(platformResponse.body)).toMatchObject({
        returnCode: '0000',
        info: { userId: 'dev:drain' },
      });

      expect(await running.exited).toBe(0);
      const out = running.output();
      expect(out.indexOf('merchant stopped')).toBeLessThan(out.indexOf('platform stopped'));
    } finally {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    }
  }, 180_000);
});

describe('npm start keeps the terminal for people (issue 11 item 14)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let platformUrl: string;
  let merchantPort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mycard-stack-logs-'));
    const platformPort = await freePort();
    merchantPort = await freePort();
    platformUrl = `http://127.0.0.1:${platformPort}`;
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MYCARD_')));
    Object.assign(env, {
      NODE_ENV: 'development',
      MYCARD_DATA_DIR: dataDir,
      MYCARD_PORT: String(platformPort),
      MYCARD_LOG_LEVEL: 'info',
      MYCARD_MERCHANT_PORT: String(merchantPort),
      MYCARD_MERCHANT_LOG_LEVEL: 'info',
    });
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('request logs go to <data>/logs/*.log (the banner says where), not to the terminal', async () => {
    const running = launch(process.execPath, [BIN], env);
    try {
      await waitForOk(running, `http://127.0.0.1:${merchantPort}/healthz`);
      await waitForOk(running, `${platformUrl}/readyz`);
      await running.waitForOutput('Press Ctrl+C to stop.');
      const out = running.output();
      expect(out).toContain(`Logs            ${join(dataDir, 'logs')}/ (platform.log, merchant.log)`);
      // No JSON request lines bury the banner.
      expect(out).not.toMatch(/"reqId"|"level":30|request completed/);
      const platformLog = readFileSync(join(dataDir, 'logs', 'platform.log'), 'utf8');
      const merchantLog = readFileSync(join(dataDir, 'logs', 'merchant.log'), 'utf8');
      expect(platformLog).toMatch(/"url":"\/readyz"/);
      expect(merchantLog).toMatch(/"url":"\/healthz"/);
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  }, 180_000);

  it('a taken port names the variable that moves it: MYCARD_PORT, MYCARD_MERCHANT_PORT', async () => {
    const squatter = createHttpServer((_req, res) => res.end('busy'));
    const busyPort = await freePort();
    await new Promise<void>((resolve) => squatter.listen(busyPort, '127.0.0.1', resolve));
    try {
      const platformBusy = launch(process.execPath, [BIN], { ...env, MYCARD_PORT: String(busyPort) });
      expect(await platformBusy.exited).toBe(1);
      expect(platformBusy.output()).toContain(
        `mycard-stack: port ${busyPort} on 127.0.0.1 is already in use, so the platform cannot listen there.`,
      );
      expect(platformBusy.output()).toContain(`MYCARD_PORT=${busyPort + 10} npm start`);

      const merchantBusy = launch(process.execPath, [BIN], {
        ...env,
        MYCARD_MERCHANT_PORT: String(busyPort),
      });
      expect(await merchantBusy.exited).toBe(1);
      expect(merchantBusy.output()).toContain(
        `is already in use, so the reference merchant cannot listen there.`,
      );
      expect(merchantBusy.output()).toContain(`MYCARD_MERCHANT_PORT=${busyPort + 10} npm start`);
      expect(merchantBusy.output()).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  }, 180_000);
});
