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
