import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { expectHttp, httpClient, type LimitModel, measureLoad, startServer } from './harness.js';

/** CPU µs per call of a synchronous fn, over a bounded time (after a short warm-up). */
function cpuPerCall(fn: () => unknown, ms: number): number {
  const warm = performance.now() + Math.min(200, ms / 4);
  while (performance.now() < warm) fn();
  let n = 0;
  const c0 = process.cpuUsage();
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

/** A durable insert transaction (WAL, synchronous=FULL) in a temp folder: CPU and wall time each. */
function sqliteCommit(ms: number): { cpuUs: number; wallUs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'mycard-bench-limit-'));
  const db = new Database(join(dir, 'limit.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('create table t (id integer primary key, k text not null unique, v text not null)');
    const insert = db.prepare('insert into t (k, v) values (?, ?)');
    const tx = db.transaction((k: string) => insert.run(k, 'x'.repeat(200)));
    let seq = 0;
    for (let i = 0; i < 20; i++) tx(`w${seq++}`);
    let n = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      tx(`k${seq++}`);
      n++;
    }
    const wall = (performance.now() - t0) * 1000;
    const c = process.cpuUsage(c0);
    return { cpuUs: (c.user + c.system) / n, wallUs: wall / n };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Raw PostgreSQL autocommitted INSERTs per second from `clients` connections, in a schema of its own. */
async function pgCommits(url: string, clients: number, ms: number): Promise<number> {
  const schema = `bench_limit_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
    await admin.query(`create table ${schema}.t (id bigserial primary key, v text not null)`);
    const conns = await Promise.all(
      Array.from({ length: clients }, async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    try {
      const text = `insert into ${schema}.t (v) values ($1)`;
      const payload = 'x'.repeat(200);
      for (const c of conns) await c.query(text, [payload]);
      let n = 0;
      const t0 = performance.now();
      await Promise.all(
        conns.map(async (c) => {
          while (performance.now() - t0 < ms) {
            await c.query(text, [payload]);
            n++;
          }
        }),
      );
      return (n / (performance.now() - t0)) * 1000;
    } finally {
      await Promise.all(conns.map((c) => c.end()));
    }
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

/** Server CPU per request of a minimal node:http JSON handler in its own (pinned) process. */
async function httpRequestCpu(ms: number): Promise<number> {
  const server = await startServer({ script: './servers/minimal-http.ts' });
  const client = httpClient(server.url, { connections: 8 });
  try {
    const body = JSON.stringify({
      bindingId: 'b'.repeat(32),
      profile: { points: 1, level: 'Gold', version: 1 },
    });
    const r = await measureLoad(server, {
      concurrency: 8,
      durationMs: ms,
      maxOps: 200_000,
      op: async () =>
        expectHttp(
          await client.request('POST', '/v1/x', { headers: { 'content-type': 'application/json' }, body }),
          200,
          'minimal http',
        ),
    });
    return r.serverCpuUsPerOp;
  } finally {
    client.close();
    await server.stop();
  }
}

/** Measures every primitive of the limit model in this run. */
export async function measureLimits(options: { quick: boolean; postgresUrl?: string }): Promise<LimitModel> {
  const ms = options.quick ? 400 : 1500;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = Buffer.from(`${'h'.repeat(100)}.${'p'.repeat(300)}`);
  const sig = sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const es256SignUs = cpuPerCall(
    () => sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
    ms,
  );
  const es256VerifyUs = cpuPerCall(
    () => verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig),
    ms,
  );
  const hmacKey = createSecretKey(randomBytes(32));
  const message = randomBytes(300);
  const hmac300Us = cpuPerCall(() => createHmac('sha256', hmacKey).update(message).digest(), ms);
  const commit = sqliteCommit(options.quick ? 1000 : 2500);
  const httpRequestCpuUs = await httpRequestCpu(options.quick ? 1500 : 4000);
  const model: LimitModel = {
    es256SignUs,
    es256VerifyUs,
    hmac300Us,
    httpRequestCpuUs,
    sqliteCommitCpuUs: commit.cpuUs,
    sqliteCommitWallUs: commit.wallUs,
    sqliteFsyncCeilingPerSec: 1e6 / commit.wallUs,
  };
  if (options.postgresUrl) {
    model.pgCommitsPerSec1 = await pgCommits(options.postgresUrl, 1, ms);
    model.pgCommitsPerSec16 = await pgCommits(options.postgresUrl, 16, ms);
  }
  return model;
}

/** The primitives as a table (printed before the goal table). */
export function printLimits(m: LimitModel): void {
  const rows: [string, string][] = [
    ['ES256 sign (node:crypto KeyObject)', `${m.es256SignUs.toFixed(1)} µs CPU`],
    ['ES256 verify (node:crypto KeyObject)', `${m.es256VerifyUs.toFixed(1)} µs CPU`],
    ['HMAC-SHA256, 300 B', `${m.hmac300Us.toFixed(2)} µs CPU`],
    ['minimal node:http JSON request (server CPU)', `${m.httpRequestCpuUs.toFixed(1)} µs CPU`],
    [
      'SQLite durable insert tx (WAL, FULL)',
      `${m.sqliteCommitCpuUs.toFixed(1)} µs CPU, ${m.sqliteCommitWallUs.toFixed(0)} µs wall`,
    ],
    ['one-fsync-per-commit ceiling (SQLite)', `${m.sqliteFsyncCeilingPerSec.toFixed(0)} commits/s`],
  ];
  if (m.pgCommitsPerSec1 !== undefined)
    rows.push(['PostgreSQL raw commits, 1 client', `${m.pgCommitsPerSec1.toFixed(0)} /s`]);
  if (m.pgCommitsPerSec16 !== undefined)
    rows.push(['PostgreSQL raw commits, 16 clients', `${m.pgCommitsPerSec16.toFixed(0)} /s`]);
  console.log('\nLimit model primitives (this run):');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(46)} ${v}`);
}
