import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../../../test-support/free-port.js';
import { haproxyAvailable, startHaproxy } from '../../../../test-support/haproxy.js';
import { rotateSigningKeys } from '../../src/keys/signing-key-store.js';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const CLI = join(import.meta.dirname, '../../bin/mycard.js');

/** Whether the multi-instance suite can run here: PostgreSQL, haproxy and redis-server. */
export function clusterPrerequisites(): string[] {
  const missing: string[] = [];
  if (!process.env.MYCARD_TEST_DATABASE_URL) missing.push('MYCARD_TEST_DATABASE_URL');
  if (!haproxyAvailable()) missing.push('haproxy');
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
    missing.push('redis-server');
  return missing;
}

export interface Instance {
  port: number;
  url: string;
  start(): Promise<void>;
  /** SIGKILL: a crash, no graceful close. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

export interface Cluster {
  url: string;
  instances: Instance[];
  redis: TestRedis;
  pgProxy: Awaited<ReturnType<typeof startTcpProxy>>;
  /** haproxy's view of each server: `UP`, `DOWN` … */
  serverStates(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${output()}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`instance not ready: ${output()}`);
}

/**
 * Two (or more) platform processes on one fresh PostgreSQL schema — reached through a TCP proxy
 * the test can cut — and one private redis-server, behind haproxy, all on loopback ports.
 */
export async function startCluster(
  options: { instances?: number; env?: Record<string, string> } = {},
): Promise<Cluster> {
  const url = process.env.MYCARD_TEST_DATABASE_URL as string;
  const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const target = new URL(url);
  const pgProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const dbUrl = new URL(url);
  dbUrl.hostname = '127.0.0.1';
  dbUrl.port = String(pgProxy.port);
  dbUrl.searchParams.set('options', `-c search_path=${schema}`);
  const redis = await startTestRedis();
  const dir = mkdtempSync(join(tmpdir(), 'mycard-cluster-'));
  const keysFile = join(dir, 'signing-keys.json');
  await rotateSigningKeys(keysFile, 720);
  const lbPort = await freePort();
  const statsPort = await freePort();
  const publicUrl = `http://127.0.0.1:${lbPort}`;
  const shared = {
    ...process.env,
    MYCARD_ENV: 'development',
    MYCARD_HOST: '127.0.0.1',
    MYCARD_PUBLIC_URL: publicUrl,
    MYCARD_DATABASE_URL: dbUrl.toString(),
    MYCARD_REDIS_URL: redis.url,
    MYCARD_REDIS_KEY_PREFIX: `${schema}:`,
    MYCARD_MASTER_KEY: randomBytes(32).toString('base64'),
    MYCARD_SIGNING_KEYS_FILE: keysFile,
    MYCARD_TRUSTED_PROXIES: '127.0.0.1',
    MYCARD_IDENTITY: 'dev',
    MYCARD_LOG_LEVEL: 'warn',
    MYCARD_WEBHOOK_POLL_MS: '100',
    ...options.env,
  };
  const instances: Instance[] = [];
  for (let i = 0; i < (options.instances ?? 2); i++) {
    const port = await freePort();
    const dataDir = join(dir, `instance-${i}`);
    mkdirSync(dataDir, { recursive: true });
    let child: ChildProcess | undefined;
    let out = '';
    const env = { ...shared, MYCARD_PORT: String(port), MYCARD_DATA_DIR: dataDir };
    const instance: Instance = {
      port,
      url: `http://127.0.0.1:${port}`,
      output: () => out,
      async start() {
        child = spawn(process.execPath, [CLI, 'platform'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout?.on('data', (d) => {
          out = (out + String(d)).slice(-6000);
        });
        child.stderr?.on('data', (d) => {
          out = (out + String(d)).slice(-6000);
        });
        await waitReady(instance.url, child, () => out);
      },
      async kill() {
        const c = child;
        if (!c || c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGKILL');
        await exited;
      },
      async stop() {
        const c = child;
        if (!c || c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      },
    };
    instances.push(instance);
  }
  // The first instance migrates; the others start on the migrated schema.
  const [first, ...rest] = instances;
  await first?.start();
  await Promise.all(rest.map((i) => i.start()));
  const haproxy = await startHaproxy(dir, {
    port: lbPort,
    statsPort,
    backend: 'platform',
    servers: instances.map((i) => i.port),
  });
  return {
    url: publicUrl,
    instances,
    redis,
    pgProxy,
    serverStates: haproxy.serverStates,
    async close() {
      await haproxy.close();
      await Promise.all(instances.map((i) => i.stop()));
      await pgProxy.close();
      await redis.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
