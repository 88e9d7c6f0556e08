import {
  type BenchContext,
  type BenchResult,
  type GoalRow,
  type GoalRowProducer,
  LOAD_CPU,
  pinSelf,
  printGoalTable,
  printTable,
  SERVER_CPU,
  tools,
} from './harness.js';
import { ledgerRows } from './ledger.bench.js';
import { measureLimits, printLimits } from './limits.js';
import { liveCardRows } from './live-card.bench.js';
import { benchMerchant } from './merchant.bench.js';
import { benchPlatform } from './platform.bench.js';
import { platformHttpRows } from './platform-http.bench.js';
import { benchProtocol } from './protocol.bench.js';

/**
 * `npm run bench`: the goal table of issue 10 over real HTTP (servers in their own process pinned to
 * one core, the load generator — this process — on the other, server CPU from /proc), against the
 * limit model's primitives measured in the same run; then the in-process micro-benchmarks
 * (app.inject) with ratios against each group's baseline. Bounded in time; servers listen on
 * 127.0.0.1 only. MYCARD_BENCH_QUICK=1: short windows; MYCARD_BENCH_ONLY=goals|micro: one part.
 */

// Goal-row producers, in the order they print. Add yours here (one import + one entry).
const producers: GoalRowProducer[] = [platformHttpRows, ledgerRows, liveCardRows];

const started = performance.now();
const only = process.env.MYCARD_BENCH_ONLY;
const quick = process.env.MYCARD_BENCH_QUICK === '1';
const postgresUrl = process.env.MYCARD_TEST_DATABASE_URL || undefined;

if (only !== 'micro') {
  console.log(
    `load generator: ${pinSelf()}; servers: ${tools.taskset && SERVER_CPU !== undefined ? `core ${SERVER_CPU}` : 'not pinned'}` +
      ` (taskset ${tools.taskset ? 'present' : 'absent'}, strace ${tools.strace ? 'present' : 'absent'}, load core ${LOAD_CPU ?? '-'})`,
  );
  const limits = await measureLimits({ quick, ...(postgresUrl ? { postgresUrl } : {}) });
  printLimits(limits);
  const ctx: BenchContext = { limits, strace: tools.strace, quick, ...(postgresUrl ? { postgresUrl } : {}) };
  const rows: GoalRow[] = [];
  for (const p of producers) {
    try {
      rows.push(...(await p.rows(ctx)));
    } catch (err) {
      console.error(`${p.name}: failed`, err);
      rows.push({
        figure: p.name,
        measured: 'failed',
        goal: '',
        met: false,
        note: String(err).slice(0, 120),
      });
    }
  }
  if (!tools.strace) console.log('strace absent: no fsync counts (apt-get install strace)');
  console.log('\nGoal table (issue 10; ratios from this run):');
  printGoalTable(rows);
}

if (only !== 'goals') {
  console.log('\nMicro-benchmarks (in-process, app.inject):');
  const results: BenchResult[] = [
    ...(await benchProtocol()),
    ...(await benchPlatform()),
    ...(await benchMerchant()),
  ];
  printTable(results);
}
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
