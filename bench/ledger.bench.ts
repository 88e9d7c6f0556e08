import {
  atLeast,
  type BenchContext,
  createPgSchema,
  expectHttp,
  type GoalRow,
  type GoalRowProducer,
  type HttpClient,
  httpClient,
  measureLoad,
  type ServerProcess,
  startServer,
} from './harness.js';

/** Concurrent tills on SQLite (the figure) and on PostgreSQL (its 16-client commit rate). */
const SQLITE_TILLS = 64;
const PG_TILLS = 16;
const MEMBERS = 64;

export interface LedgerServer {
  server: ServerProcess;
  client: HttpClient;
  accrue(): Promise<void>;
  stats(): Promise<{ commits: number; requests: number; transactions: number; statements: number }>;
  stop(): Promise<void>;
}

/** The reference merchant in its own process (bench/servers/merchant-ledger.ts), a till signed in. */
export async function startLedger(
  tills: number,
  pg?: { url: string; schema: string },
): Promise<LedgerServer> {
  const server = await startServer({
    script: './servers/merchant-ledger.ts',
    args: [JSON.stringify({ members: MEMBERS, ...(pg ? { databaseUrl: pg.url, schema: pg.schema } : {}) })],
  });
  const client = httpClient(server.url, { connections: tills });
  try {
    const login = expectHttp(
      await client.request('POST', '/api/pos/session', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'till1', password: 'operator-password' }),
      }),
      200,
      'POS login',
    );
    const setCookie = login.headers['set-cookie'] ?? [];
    const cookie = (Array.isArray(setCookie) ? setCookie : [setCookie])
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;
    const codes = server.info.codes as string[];
    const currency = String(server.info.currency);
    let order = 0;
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    return {
      server,
      client,
      async accrue() {
        const n = order++;
        expectHttp(
          await client.request('POST', '/api/pos/accrue', {
            headers,
            body: JSON.stringify({
              code: codes[n % codes.length],
              amount: 1050,
              currency,
              orderId: `B-${n}`,
            }),
          }),
          201,
          'accrue',
        );
      },
      async stats() {
        const m = await server.ask({ type: 'stats' }, 'stats');
        return {
          commits: Number(m.commits),
          requests: Number(m.requests),
          transactions: Number(m.transactions),
          statements: Number(m.statements),
        };
      },
      async stop() {
        client.close();
        await server.stop();
      },
    };
  } catch (err) {
    client.close();
    await server.stop();
    throw err;
  }
}

/** Runs `tills` workers accruing for `ms`, returns how many accruals were made. */
export async function accrueFor(ledger: LedgerServer, tills: number, ms: number): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: tills }, async () => {
      while (performance.now() < end) {
        await ledger.accrue();
        n++;
      }
    }),
  );
  return n;
}

/**
 * The reference merchant's ledger over real HTTP (`POST /api/pos/accrue`, operator session + CSRF):
 * on SQLite (WAL, synchronous=FULL, group commit) at 64 concurrent tills — accruals/s against the
 * lower of 3× the one-fsync-per-commit ceiling and half the CPU limit (a minimal node:http request
 * + one durable commit), fsyncs per accrual (strace), transactions per accrual; on PostgreSQL at 16
 * tills against the raw 16-client commit rate, with transactions and statements per accrual.
 */
export const ledgerRows: GoalRowProducer = {
  name: 'ledger (reference merchant)',
  async rows(ctx: BenchContext): Promise<GoalRow[]> {
    const rows: GoalRow[] = [];
    const m = ctx.limits;
    const window = ctx.quick ? 2000 : 5000;

    const sqlite = await startLedger(SQLITE_TILLS);
    try {
      await accrueFor(sqlite, SQLITE_TILLS, 1000);
      const s0 = await sqlite.stats();
      const load = await measureLoad(sqlite.server, {
        concurrency: SQLITE_TILLS,
        durationMs: window,
        maxOps: 200_000,
        warmupMs: 500,
        op: () => sqlite.accrue(),
      });
      const s1 = await sqlite.stats();
      const fsync = await sqlite.server.countFsyncs(() => accrueFor(sqlite, SQLITE_TILLS, 2000));
      const cpuLimit = 1e6 / (m.httpRequestCpuUs + m.sqliteCommitCpuUs);
      const target = Math.min(3 * m.sqliteFsyncCeilingPerSec, cpuLimit / 2);
      const ratio = load.opsPerSec / target;
      const requests = Math.max(s1.requests - s0.requests, 1);
      const groupSize = requests / Math.max(s1.commits - s0.commits, 1);
      rows.push({
        figure: `ledger accruals/s, ${SQLITE_TILLS} tills (SQLite, FULL, group commit)`,
        measured: `${load.opsPerSec.toFixed(0)} /s (${(load.opsPerSec / m.sqliteFsyncCeilingPerSec).toFixed(2)}× fsync ceiling, ${(load.opsPerSec / cpuLimit).toFixed(2)} of CPU limit)`,
        model: `${target.toFixed(0)} /s = min(3× ${m.sqliteFsyncCeilingPerSec.toFixed(0)} fsync ceiling, ½ × ${cpuLimit.toFixed(0)} CPU limit)`,
        ratio,
        goal: '≥ 1 (of that target)',
        met: atLeast(ratio, 1),
        note: `${groupSize.toFixed(1)} accruals/commit; ${((s1.transactions - s0.transactions) / requests).toFixed(2)} tx/accrual incl. session read; ${(load.serverCpuUsPerOp / 1000).toFixed(2)} ms CPU/accrual`,
      });
      const perAccrual = fsync.fsyncs === undefined ? undefined : fsync.fsyncs / Math.max(fsync.result, 1);
      rows.push({
        figure: `ledger fsyncs per accrual, ${SQLITE_TILLS} tills (SQLite, FULL)`,
        measured: perAccrual === undefined ? 'not measured' : `${perAccrual.toFixed(3)} fsync/accrual`,
        goal: '≤ 0.34',
        ...(perAccrual === undefined ? { note: 'strace absent' } : { met: perAccrual <= 0.34 }),
      });
    } finally {
      await sqlite.stop();
    }

    if (ctx.postgresUrl && m.pgCommitsPerSec16) {
      const schema = await createPgSchema(ctx.postgresUrl);
      try {
        const pg = await startLedger(PG_TILLS, { url: ctx.postgresUrl, schema: schema.schema });
        try {
          await accrueFor(pg, PG_TILLS, 1000);
          const s0 = await pg.stats();
          const load = await measureLoad(pg.server, {
            concurrency: PG_TILLS,
            durationMs: window,
            maxOps: 200_000,
            warmupMs: 500,
            op: () => pg.accrue(),
          });
          const s1 = await pg.stats();
          // measureLoad's warm-up ran inside the window too: count per request over both.
          const requests = s1.requests - s0.requests;
          const ratio = load.opsPerSec / m.pgCommitsPerSec16;
          rows.push({
            figure: `ledger accruals on PostgreSQL ÷ raw 16-client commit rate, ${PG_TILLS} tills`,
            measured: `${load.opsPerSec.toFixed(0)} /s`,
            model: `${m.pgCommitsPerSec16.toFixed(0)} commits/s (raw INSERT autocommits, 16 clients)`,
            ratio,
            goal: '≥ 0.5, 1 transaction per accrual',
            met: atLeast(ratio, 0.5),
            note: `${((s1.commits - s0.commits) / Math.max(requests, 1)).toFixed(2)} write tx/accrual; ${((s1.transactions - s0.transactions) / Math.max(requests, 1)).toFixed(2)} tx and ${((s1.statements - s0.statements) / Math.max(requests, 1)).toFixed(1)} statements/accrual incl. the session read`,
          });
        } finally {
          await pg.stop();
        }
      } finally {
        await schema.drop();
      }
    }
    return rows;
  },
};
