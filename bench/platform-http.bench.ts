import { createSignatureHeaders, withCheckDigit } from '@mycard/protocol';
import {
  atLeast,
  type BenchContext,
  buildPlatformDist,
  createPgSchema,
  expectHttp,
  fmtUs,
  type GoalRow,
  type GoalRowProducer,
  type HttpClient,
  httpClient,
  type LimitModel,
  measureLoad,
  type ServerProcess,
  type ServerRuntime,
  startServer,
} from './harness.js';

/** The platform's publicUrl (`iss`, the wallet's Origin); the bench sends that Origin. */
const PUBLIC_URL = 'http://127.0.0.1:39999';
const CONCURRENCY = 8;

export interface Platform {
  server: ServerProcess;
  client: HttpClient;
  channelId: string;
  channelSecret: string;
}

export async function startPlatform(
  postgresUrl?: string,
  runtime: ServerRuntime = 'source',
): Promise<Platform & { close(): Promise<void> }> {
  const pg = postgresUrl ? await createPgSchema(postgresUrl) : undefined;
  try {
    const server = await startServer({
      script: './servers/platform.ts',
      args: [JSON.stringify({ publicUrl: PUBLIC_URL, databaseUrl: postgresUrl, pgSchema: pg?.schema })],
      runtime,
    });
    const client = httpClient(server.url, { connections: 64 });
    return {
      server,
      client,
      channelId: String(server.info.channelId),
      channelSecret: String(server.info.channelSecret),
      async close() {
        client.close();
        await server.stop();
        await pg?.drop();
      },
    };
  } catch (err) {
    await pg?.drop();
    throw err;
  }
}

/** A signed merchant POST (HMAC over channelSecret + path + body + nonce, fresh nonce). */
async function merchantPost(p: Platform, path: string, body: unknown) {
  const payload = JSON.stringify(body);
  const headers = await createSignatureHeaders({
    channelId: p.channelId,
    channelSecret: p.channelSecret,
    path,
    payload,
    nonce: crypto.randomUUID(),
  });
  return p.client.request('POST', path, {
    headers: { ...headers, 'content-type': 'application/json' },
    body: payload,
  });
}

/** A wallet browser: a cookie jar (paths ignored) and the platform's Origin. */
export function walletOf(p: Platform) {
  const jar = new Map<string, string>();
  const send = async (method: string, path: string, body?: unknown) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await p.client.request(method, path, {
      headers: {
        origin: PUBLIC_URL,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const c of res.headers['set-cookie'] ?? []) {
      const [pair] = c.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq > 0) jar.set((pair ?? '').slice(0, eq), (pair ?? '').slice(eq + 1));
    }
    return res;
  };
  return {
    post: (path: string, body: unknown) => send('POST', path, body),
    get: (path: string) => send('GET', path),
  };
}

let userSeq = 0;
let codeSeq = 0;

/** Sign-in of a fresh wallet user, then reserve → apply (merchant, HMAC) → complete: 4 requests. */
export async function bindFreshUser(p: Platform) {
  const wallet = walletOf(p);
  const userId = `bench-${process.pid}-${++userSeq}`;
  expectHttp(await wallet.post('/v1/session/dev', { userId, displayName: 'Bench' }), 200, 'sign-in');
  const reserve = expectHttp(await wallet.post('/v1/bindings', { channelId: p.channelId }), 201, 'reserve');
  const info = JSON.parse(reserve.body).info as { bindingId: string; redirectUrl: string };
  const token = new URL(info.redirectUrl).searchParams.get('token');
  const membershipCode = withCheckDigit(String(490_000_000_000 + ++codeSeq));
  const apply = expectHttp(
    await merchantPost(p, '/v1/bindings/apply', { token, membershipCode }),
    200,
    'apply',
  );
  const completionToken = JSON.parse(apply.body).info.completionToken as string;
  expectHttp(
    await wallet.post('/v1/bindings/complete', {
      token: completionToken,
      channelId: p.channelId,
      status: 'SUCCESS',
    }),
    200,
    'complete',
  );
  return { bindingId: info.bindingId, wallet };
}

/** `POST /v1/cards/profile` with a growing version on one ACTIVE card per worker. */
export function profileUpdater(p: Platform, bindingIds: string[]) {
  const versions = new Map<string, number>();
  let next = 0;
  return async () => {
    const bindingId = bindingIds[next++ % bindingIds.length] as string;
    const version = (versions.get(bindingId) ?? 0) + 1;
    versions.set(bindingId, version);
    expectHttp(
      await merchantPost(p, '/v1/cards/profile', {
        bindingId,
        profile: { points: version, level: 'Gold', version },
      }),
      200,
      'profile update',
    );
  };
}

export function flowModelUs(m: LimitModel): number {
  return m.es256SignUs + m.es256VerifyUs + m.hmac300Us + 4 * m.httpRequestCpuUs + 4 * m.sqliteCommitCpuUs;
}

export function profileModelUs(m: LimitModel): number {
  return m.hmac300Us + m.httpRequestCpuUs + m.sqliteCommitCpuUs;
}

/**
 * The platform over real HTTP (its own pinned process, SQLite with synchronous=FULL): the binding
 * flow and the profile update at c=8 against the limit model, fsyncs per operation and
 * `GET /v1/cards` p99 with 1M cards in the database (the TypeScript sources through tsx); then RSS
 * after 60 s of mixed load of the built dist/ on plain node, in a process of its own.
 */
export const platformHttpRows: GoalRowProducer = {
  name: 'platform over HTTP',
  async rows(ctx: BenchContext): Promise<GoalRow[]> {
    const rows: GoalRow[] = [];
    const m = ctx.limits;
    const window = ctx.quick ? 2000 : 6000;
    let sourceRssNote = '';
    const p = await startPlatform();
    try {
      // Warm-up: JIT, caches, the first WAL checkpoints.
      for (let i = 0; i < 30; i++) await bindFreshUser(p);

      const flow = await measureLoad(p.server, {
        concurrency: CONCURRENCY,
        durationMs: window,
        maxOps: 20_000,
        warmupMs: 1000,
        op: () => bindFreshUser(p),
      });
      const flowModel = flowModelUs(m);
      const flowRatio = flowModel / flow.serverCpuUsPerOp;
      const flowFsync = await p.server.countFsyncs(async () => {
        let n = 0;
        const end = performance.now() + 2000;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (performance.now() < end) {
              await bindFreshUser(p);
              n++;
            }
          }),
        );
        return n;
      });
      rows.push({
        figure: `binding flow, server CPU: limit model ÷ measured, c=${CONCURRENCY} (SQLite, FULL)`,
        measured: `${fmtUs(flow.serverCpuUsPerOp)} CPU/flow, ${flow.opsPerSec.toFixed(0)} flows/s`,
        model: `${fmtUs(flowModel)} (sign+verify+HMAC+4 req+4 commits)`,
        ratio: flowRatio,
        goal: '≥ 0.5',
        met: atLeast(flowRatio, 0.5),
        note:
          flowFsync.fsyncs === undefined
            ? 'fsync: strace absent'
            : `${(flowFsync.fsyncs / Math.max(flowFsync.result, 1)).toFixed(2)} fsync/flow`,
      });

      const cards: string[] = [];
      for (let i = 0; i < CONCURRENCY * 4; i++) cards.push((await bindFreshUser(p)).bindingId);
      const update = profileUpdater(p, cards);
      const profile = await measureLoad(p.server, {
        concurrency: CONCURRENCY,
        durationMs: window,
        maxOps: 100_000,
        warmupMs: 1000,
        op: update,
      });
      const profileModel = profileModelUs(m);
      const profileRatio = profileModel / profile.serverCpuUsPerOp;
      const profileFsync = await p.server.countFsyncs(async () => {
        let n = 0;
        const end = performance.now() + 2000;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (performance.now() < end) {
              await update();
              n++;
            }
          }),
        );
        return n;
      });
      rows.push({
        figure: `profile update, server CPU: limit model ÷ measured, c=${CONCURRENCY} (SQLite, FULL)`,
        measured: `${fmtUs(profile.serverCpuUsPerOp)} CPU/update, ${profile.opsPerSec.toFixed(0)} /s`,
        model: `${fmtUs(profileModel)} (HMAC+1 req+1 commit)`,
        ratio: profileRatio,
        goal: '≥ 0.6',
        met: atLeast(profileRatio, 0.6),
        note:
          profileFsync.fsyncs === undefined
            ? 'fsync: strace absent'
            : `${(profileFsync.fsyncs / Math.max(profileFsync.result, 1)).toFixed(2)} fsync/update`,
      });

      sourceRssNote = `tsx sources after the rows above: ${p.server.rssMb().toFixed(0)} MB`;
      const lister = (await bindFreshUser(p)).wallet;

      // GET /v1/cards with 1M other cards in the database (a bulk insert, bounded in time).
      const listOnce = async () => expectHttp(await lister.get('/v1/cards'), 200, 'cards');
      const before = await measureLoad(p.server, {
        concurrency: 1,
        durationMs: 1500,
        maxOps: 5000,
        warmupMs: 300,
        op: listOnce,
      });
      const template = cards[0] as string;
      const count = ctx.quick ? 100_000 : 1_000_000;
      const seeded = await p.server.ask({ type: 'seed-cards', cards: count, template }, 'seeded');
      if (seeded.error) throw new Error(`seeding cards: ${seeded.error}`);
      const after = await measureLoad(p.server, {
        concurrency: 1,
        durationMs: 3000,
        maxOps: 10_000,
        warmupMs: 500,
        op: listOnce,
      });
      rows.push({
        figure: `GET /v1/cards p99 at ${count / 1e6}M cards (SQLite, c=1)`,
        measured: `p99 ${fmtUs(after.p99Us)}, p50 ${fmtUs(after.p50Us)}`,
        model: `at ~${cards.length + 100} cards: p99 ${fmtUs(before.p99Us)}`,
        goal: '< 5 ms',
        met: after.p99Us < 5000,
        note: `seeded in ${(Number(seeded.ms) / 1000).toFixed(1)} s`,
      });
    } finally {
      await p.close();
    }
    rows.push(await platformRssRow(ctx, sourceRssNote));
    return rows;
  },
};

/**
 * Resident memory of what production runs: the built dist/ under plain node (`tsc -b` first, so
 * it is never older than the sources), its own process and database, after 60 s of mixed load —
 * binding flows, profile updates and card lists, one kind per worker, 8 workers.
 */
export async function platformRssRow(ctx: BenchContext, sourceNote: string): Promise<GoalRow> {
  buildPlatformDist();
  const p = await startPlatform(undefined, 'dist');
  try {
    const idleRss = p.server.rssMb();
    for (let i = 0; i < 30; i++) await bindFreshUser(p);
    const cards: string[] = [];
    for (let i = 0; i < CONCURRENCY * 4; i++) cards.push((await bindFreshUser(p)).bindingId);
    const update = profileUpdater(p, cards);
    const lister = (await bindFreshUser(p)).wallet;
    const loadMs = ctx.quick ? 10_000 : 60_000;
    const end = performance.now() + loadMs;
    const mix = [
      () => bindFreshUser(p),
      update,
      async () => expectHttp(await lister.get('/v1/cards'), 200, 'cards'),
    ];
    // RSS once a second over the last 10 s too: it moves with the old generation's GC cycle.
    const samples: number[] = [];
    const sampler = setInterval(() => {
      if (end - performance.now() < 10_000) samples.push(p.server.rssMb());
    }, 1000);
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, i) => {
          const op = mix[i % mix.length] as () => Promise<unknown>;
          while (performance.now() < end) await op();
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    const rss = p.server.rssMb();
    samples.push(rss);
    const mem = await p.server.ask({ type: 'memory' }, 'memory-usage');
    const mb = (k: string) => (Number(mem[k]) / 2 ** 20).toFixed(0);
    return {
      figure: `platform RSS after ${loadMs / 1000} s of load (SQLite, built dist on node)`,
      measured: `${rss.toFixed(0)} MB`,
      model: `idle ${idleRss.toFixed(0)} MB`,
      goal: '< 150 MB',
      met: rss < 150,
      note:
        `${ctx.quick ? 'quick run: 10 s, not 60 s; ' : ''}last 10 s ${Math.min(...samples).toFixed(0)}–` +
        `${Math.max(...samples).toFixed(0)} MB; JS heap ${mb('heapUsed')} of ${mb('heapTotal')} MB` +
        `${sourceNote ? `; ${sourceNote}` : ''}`,
    };
  } finally {
    await p.close();
  }
}
