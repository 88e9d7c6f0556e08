import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { defined } from '../test-support/defined.js';
/**
 * A small benchmark harness: runs each case for a bounded time after a warm-up, and prints ops/s,
 * latency percentiles and the ratio against the baseline of its group, all measured in the same run
 * (the machine is shared and noisy: only ratios within one run are meaningful).
 */
export interface BenchCase {
  name: string;
  /** One operation; may be async. */
  fn: () => unknown | Promise<unknown>;
  /** The case the others of its group are compared with. */
  baseline?: boolean;
  /** How many operations to run concurrently (for I/O-bound cases). */
  concurrency?: number;
}

export interface BenchResult {
  group: string;
  name: string;
  ops: number;
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
  baseline: boolean;
}

export async function runGroup(
  group: string,
  cases: BenchCase[],
  options: { durationMs?: number; warmupMs?: number; maxOps?: number } = {},
): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? 1500;
  const warmupMs = options.warmupMs ?? 300;
  const maxOps = options.maxOps ?? 200_000;
  const results: BenchResult[] = [];
  for (const c of cases) {
    await loop(c, warmupMs, maxOps, []);
    const samples: number[] = [];
    const start = performance.now();
    await loop(c, durationMs, maxOps, samples);
    const elapsed = performance.now() - start;
    samples.sort((a, b) => a - b);
    results.push({
      group,
      name: c.name,
      ops: samples.length,
      opsPerSec: (samples.length / elapsed) * 1000,
      p50Us: (samples[Math.floor(samples.length * 0.5)] ?? 0) * 1000,
      p99Us: (samples[Math.floor(samples.length * 0.99)] ?? 0) * 1000,
      baseline: c.baseline ?? false,
    });
  }
  return results;
}

async function loop(c: BenchCase, durationMs: number, maxOps: number, samples: number[]): Promise<void> {
  const end = performance.now() + durationMs;
  const workers = Array.from({ length: c.concurrency ?? 1 }, async () => {
    while (performance.now() < end && samples.length < maxOps) {
      const t = performance.now();
      await c.fn();
      samples.push(performance.now() - t);
    }
  });
  await Promise.all(workers);
  if (samples.length === 0) samples.push(0);
}

export function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => {
    const base = results.find((b) => b.group === r.group && b.baseline);
    const ratio =
      base && base !== r ? (r.opsPerSec / base.opsPerSec).toFixed(2) : r.baseline ? '1.00 (baseline)' : '';
    return [
      r.group,
      r.name,
      String(r.ops),
      r.opsPerSec.toFixed(0),
      r.p50Us.toFixed(0),
      r.p99Us.toFixed(0),
      ratio,
    ];
  });
  const header = ['group', 'case', 'ops', 'ops/s', 'p50 µs', 'p99 µs', 'vs baseline'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => defined(r[i]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(defined(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

// ---------------------------------------------------------------------------------------------
// Goal rows: the table. Every producer (bench/*.bench.ts) returns rows; run.ts prints them.
// ---------------------------------------------------------------------------------------------

/** One line of the goal table: a figure, the limit it is compared with, the ratio and the goal. */
export interface GoalRow {
  /** 'binding flow, server CPU: limit model ÷ measured, c=8' */
  figure: string;
  /** Human text of what was measured: '5.9 ms CPU/flow', '2 310 /s', '131 MB'. */
  measured: string;
  /** The limit it is compared with: '0.70 ms CPU/flow (1 sign + 1 verify + …)'. */
  model?: string;
  /** The ratio the goal is about (model ÷ measured CPU, measured ÷ ceiling, …). */
  ratio?: number;
  /** '≥ 0.5', '< 150 MB', '≤ 0.34 fsync/accrual' */
  goal: string;
  /** undefined: not measured in this run (say why in `note`). */
  met?: boolean;
  note?: string;
}

/**
 * The limit model's primitives, measured in the same run (µs of CPU unless said otherwise). A
 * figure's model is a sum of these: e.g. a binding flow = 1 ES256 sign + 1 verify + 1 HMAC + 4
 * HTTP requests + 4 durable commits.
 */
export interface LimitModel {
  /** node:crypto ES256 sign with a private KeyObject (IEEE P1363 signature, as JWS uses). */
  es256SignUs: number;
  /** node:crypto ES256 verify with a public KeyObject. */
  es256VerifyUs: number;
  /** node:crypto HMAC-SHA256 of 300 bytes with a key made once (createSecretKey). */
  hmac300Us: number;
  /** Server CPU per request of a minimal node:http JSON handler, over keep-alive HTTP, pinned. */
  httpRequestCpuUs: number;
  /** CPU of one durable `BEGIN; INSERT; COMMIT` (better-sqlite3, WAL, synchronous=FULL), sequential. */
  sqliteCommitCpuUs: number;
  /** Wall time of the same transaction (dominated by its fsync). */
  sqliteCommitWallUs: number;
  /** 1e6 / sqliteCommitWallUs: the one-fsync-per-commit ceiling, commits/s. */
  sqliteFsyncCeilingPerSec: number;
  /** Raw PostgreSQL `INSERT` autocommits/s from 1 client and from 16 (when configured). */
  pgCommitsPerSec1?: number;
  pgCommitsPerSec16?: number;
}

export interface BenchContext {
  limits: LimitModel;
  /** MYCARD_TEST_DATABASE_URL, when set: producers add their PostgreSQL rows. */
  postgresUrl?: string;
  /** strace is installed (fsync counts per operation). */
  strace: boolean;
  /** MYCARD_BENCH_QUICK=1: shorter windows (a smoke run; figures are noisier). */
  quick: boolean;
}

/** What a bench file exports to add rows to the goal table (listed in bench/run.ts). */
export interface GoalRowProducer {
  name: string;
  rows(ctx: BenchContext): Promise<GoalRow[]>;
}

/** `≥ x` goal on a ratio: met when measured. */
export function atLeast(ratio: number | undefined, goal: number): boolean | undefined {
  return ratio === undefined || !Number.isFinite(ratio) ? undefined : ratio >= goal;
}

export function fmtUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`;
}

export function printGoalTable(rows: GoalRow[]): void {
  const cells = rows.map((r) => [
    r.figure,
    r.measured,
    r.model ?? '',
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.goal,
    r.met === undefined ? 'not measured' : r.met ? 'met' : 'NOT met',
    r.note ?? '',
  ]);
  const header = ['figure', 'measured', 'limit model', 'ratio', 'goal', 'met', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => defined(r[i]).length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(defined(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of cells) console.log(line(r));
}

// ---------------------------------------------------------------------------------------------
// Real HTTP: a server in its own process (pinned to a core), a keep-alive load generator here.
// ---------------------------------------------------------------------------------------------

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const tools = {
  taskset: has('taskset'),
  strace: has('strace'),
};

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The cores: the server gets the last one, the load generator (this process) the first. */
export const CORES = availableParallelism();
export const SERVER_CPU = CORES > 1 ? CORES - 1 : undefined;
export const LOAD_CPU = CORES > 1 ? 0 : undefined;

/** Pins this process (the load generator) to LOAD_CPU, when taskset exists and there are 2+ cores. */
export function pinSelf(): string {
  if (!tools.taskset || LOAD_CPU === undefined) return 'not pinned';
  execFileSync('taskset', ['-a', '-p', '-c', String(LOAD_CPU), String(process.pid)], { stdio: 'ignore' });
  return `core ${LOAD_CPU}`;
}

/** utime + stime of a process (every thread), µs, from /proc/<pid>/stat. */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1e6;
}

/** Resident set size of a process, MB, from /proc/<pid>/status. */
export function processRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export interface ServerProcess {
  pid: number;
  url: string;
  /** What the child passed to serverReady(). */
  info: Record<string, unknown>;
  /** 'core 1' or 'not pinned (…)'. */
  pinned: string;
  cpuUs(): number;
  rssMb(): number;
  /**
   * Runs fn with `strace -f -c -e trace=fsync,fdatasync` attached to the server and returns the
   * number of fsync + fdatasync calls made meanwhile (undefined when strace is absent or cannot
   * attach). strace slows every syscall: never measure CPU inside this window.
   */
  countFsyncs<T>(fn: () => Promise<T>): Promise<{ result: T; fsyncs?: number }>;
  /** Runs fn with the server's CPU profiler on (V8 sampling, via the inspector); writes `file`. */
  profile<T>(file: string, fn: () => Promise<T>): Promise<T>;
  /** Sends `message` to the child over IPC and waits for its reply of type `reply`. */
  ask(message: Record<string, unknown>, reply: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * How a bench server runs. `source`: the TypeScript sources through tsx (`--conditions=@mycard/source`,
 * like `npm run bench` itself). `dist`: what production runs — plain `node` on the built JavaScript
 * (`npm run build:servers`): the workspace packages resolve to their dist/, and the server script and
 * bench/server-child.ts are type-stripped into bench/.dist/ first. tsx's loader alone holds ~55 MB of
 * resident memory (its hooks run in a thread of their own), so memory is measured on `dist`.
 */
export type ServerRuntime = 'source' | 'dist';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));

/**
 * `tsc -b` of the platform's build (incremental: seconds when nothing changed), so a `dist` server
 * never runs JavaScript older than the sources.
 */
export function buildPlatformDist(): void {
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'apps/platform/tsconfig.build.json'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

/** Type-strips bench/<script> and bench/server-child.ts into bench/.dist/ (same layout); returns the script's path. */
function stripTypes(script: string): string {
  const out = join(BENCH_DIR, '.dist');
  let entry = '';
  for (const file of [join(BENCH_DIR, script), join(BENCH_DIR, 'server-child.ts')]) {
    const target = join(out, relative(BENCH_DIR, file)).replace(/\.ts$/, '.js');
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    if (!entry) entry = target;
  }
  return entry;
}

/**
 * Starts `script` (a TypeScript file of bench/, run as `runtime` says: tsx by default) as a child
 * process, pinned with `taskset -c SERVER_CPU` when taskset exists, and waits for its serverReady()
 * message. Its stdout (the server's log) goes to /dev/null; its stderr is kept for the error message.
 */
export async function startServer(options: {
  script: string;
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  runtime?: ServerRuntime;
}): Promise<ServerProcess> {
  const nodeArgs =
    options.runtime === 'dist'
      ? [stripTypes(options.script), ...(options.args ?? [])]
      : [
          '--import',
          'tsx',
          '--conditions=@mycard/source',
          join(BENCH_DIR, options.script),
          ...(options.args ?? []),
        ];
  const pin = tools.taskset && SERVER_CPU !== undefined;
  const child: ChildProcess = pin
    ? spawn('taskset', ['-c', String(SERVER_CPU), process.execPath, ...nodeArgs], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      })
    : spawn(process.execPath, nodeArgs, {
        cwd: REPO_ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.script}: not ready within ${options.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('message', (m: { type?: string; info?: Record<string, unknown> }) => {
      if (m?.type === 'ready' && m.info) {
        clearTimeout(timer);
        resolve(m.info);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited (${code}) before it was ready\n${stderr}`));
    });
  });
  const pid = defined(child.pid);
  const ask: ServerProcess['ask'] = (message, reply, timeoutMs = 300_000) => {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`${options.script}: no ${reply} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (m: Record<string, unknown>) => {
        if (m?.type !== reply) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  };
  return {
    pid,
    url: String(info.url),
    info,
    pinned: pin ? `core ${SERVER_CPU}` : tools.taskset ? 'not pinned (1 core)' : 'not pinned (no taskset)',
    cpuUs: () => processCpuUs(pid),
    rssMb: () => processRssMb(pid),
    async countFsyncs(fn) {
      if (!tools.strace) return { result: await fn() };
      const dir = mkdtempSync(join(tmpdir(), 'mycard-bench-strace-'));
      const out = join(dir, 'summary');
      const strace = spawn(
        'strace',
        ['-f', '-c', '-e', 'trace=fsync,fdatasync', '-p', String(pid), '-o', out],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      try {
        const attached = await new Promise<boolean>((resolve) => {
          let text = '';
          const t = setTimeout(() => resolve(false), 5000);
          strace.stderr?.on('data', (d: Buffer) => {
            text += d.toString();
            if (/attached/.test(text)) {
              clearTimeout(t);
              // -f attaches every thread; let it finish before the window starts.
              setTimeout(() => resolve(true), 300);
            }
          });
          strace.once('exit', () => {
            clearTimeout(t);
            resolve(false);
          });
        });
        const result = await fn();
        if (!attached) return { result };
        const done = new Promise<void>((resolve) => strace.once('exit', () => resolve()));
        strace.kill('SIGINT');
        await done;
        const summary = readFileSync(out, 'utf8');
        let calls = 0;
        for (const l of summary.split('\n')) {
          const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(fsync|fdatasync)\s*$/.exec(l);
          if (m) calls += Number(m[1]);
        }
        return { result, fsyncs: calls };
      } finally {
        if (strace.exitCode === null) strace.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async profile(file, fn) {
      await ask({ type: 'profile-start' }, 'profile-started');
      try {
        return await fn();
      } finally {
        await ask({ type: 'profile-stop', file }, 'profile-stopped');
      }
    },
    ask,
    async stop() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpClient {
  request(
    method: string,
    path: string,
    options?: { headers?: Record<string, string>; body?: string },
  ): Promise<HttpResponse>;
  close(): void;
}

/** A keep-alive HTTP client (node:http Agent) with at most `connections` sockets. */
export function httpClient(baseUrl: string, options: { connections: number }): HttpClient {
  const url = new URL(baseUrl);
  // Idle sockets are dropped after 4 s, before the servers' 5 s keep-alive timeout closes them: a
  // request written on a socket the server is closing would fail with ECONNRESET.
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, timeout: 4000 });
  return {
    request(method, path, opts = {}) {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { ...opts.headers };
        if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
        const req = http.request(
          { agent, host: url.hostname, port: url.port, method, path, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(opts.body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Throws unless the response has `status`: a refused call never counts as a fast one. */
export function expectHttp(res: HttpResponse, status: number, what: string): HttpResponse {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return res;
}

export interface LoadResult {
  ops: number;
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
  /** Server CPU (utime + stime, all threads) per operation over the measured window. */
  serverCpuUsPerOp: number;
  /** Server RSS at the end of the window. */
  rssMb: number;
}

/**
 * Runs `op` with `concurrency` workers for a bounded time and count (after a warm-up), in this
 * process, and reads the server's CPU before and after the window.
 */
export async function measureLoad(
  server: ServerProcess,
  options: {
    concurrency: number;
    durationMs: number;
    maxOps: number;
    warmupMs?: number;
    op: () => Promise<unknown>;
  },
): Promise<LoadResult> {
  const run = async (ms: number, maxOps: number, samples: number[]) => {
    const end = performance.now() + ms;
    let started = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end && started < maxOps) {
          started++;
          const t = performance.now();
          await options.op();
          samples.push(performance.now() - t);
        }
      }),
    );
  };
  if ((options.warmupMs ?? 500) > 0) await run(options.warmupMs ?? 500, options.maxOps, []);
  const samples: number[] = [];
  const cpu0 = server.cpuUs();
  const t0 = performance.now();
  await run(options.durationMs, options.maxOps, samples);
  const elapsed = performance.now() - t0;
  const cpu1 = server.cpuUs();
  samples.sort((a, b) => a - b);
  const n = Math.max(samples.length, 1);
  return {
    ops: samples.length,
    opsPerSec: (samples.length / elapsed) * 1000,
    p50Us: (samples[Math.floor(samples.length * 0.5)] ?? 0) * 1000,
    p99Us: (samples[Math.floor(samples.length * 0.99)] ?? 0) * 1000,
    serverCpuUsPerOp: (cpu1 - cpu0) / n,
    rssMb: server.rssMb(),
  };
}

/** A PostgreSQL schema of its own for one bench server (dropped by `drop()`). */
export async function createPgSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const pg = (await import('pg')).default;
  const schema = `bench_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
