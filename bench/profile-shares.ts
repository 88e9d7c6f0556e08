import { readFileSync } from 'node:fs';
import { defined } from '../test-support/defined.js';

/**
 * Shares of a V8 CPU profile (`.cpuprofile`) by what the time was spent on: each sample's self time
 * goes to the innermost frame that has a category (native frames such as better-sqlite3's `prepare`
 * count for the JavaScript that called them). Idle time is left out; shares are of busy samples.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const RULES: [string, (f: Node['callFrame']) => boolean][] = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  [
    'SQLite statement compilation (prepare)',
    (f) => /better-sqlite3/.test(f.url) && f.functionName === 'prepare',
  ],
  ['SQLite statement execution (incl. fsync wait)', (f) => /better-sqlite3/.test(f.url)],
  ['PostgreSQL driver (pg)', (f) => /node_modules\/pg(-[a-z]+)?\//.test(f.url)],
  ['Kysely query building', (f) => /node_modules\/kysely\//.test(f.url)],
  ['crypto', (f) => /jose|internal\/crypto|webcrypto|node:crypto/.test(f.url) || f.url.endsWith('/crypto')],
  ['helmet', (f) => /helmet/.test(f.url)],
  ['pino', (f) => /pino|sonic-boom|thread-stream|fast-redact|safe-stable-stringify/.test(f.url)],
  ['prom-client', (f) => /prom-client/.test(f.url)],
  [
    'Fastify',
    (f) =>
      /fastify|find-my-way|avvio|fast-json-stringify|ajv|light-my-request|fast-querystring|@fastify|cookie|fast-uri|rfdc/.test(
        f.url,
      ),
  ],
  ['TypeBox', (f) => /typebox/.test(f.url)],
  ['product code', (f) => /\/(apps|packages)\//.test(f.url) && !/node_modules/.test(f.url)],
  [
    'Node http/net/streams',
    (f) =>
      /node:(_http|http|net|stream|internal\/(http|streams|net|stream_base))/.test(f.url) ||
      /^node:internal\/(http|streams)/.test(f.url),
  ],
  ['other Node internals', (f) => f.url.startsWith('node:')],
  ['other libraries', (f) => /node_modules/.test(f.url)],
];

export function profileShares(file: string): { category: string; share: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryOf = new Map<number, string>();
  const classify = (id: number): string => {
    const cached = categoryOf.get(id);
    if (cached) return cached;
    const node = byId.get(id);
    let result = 'other';
    if (node) {
      const f = node.callFrame;
      if (f.functionName === '(idle)') result = 'idle';
      else if (f.functionName === '(program)') result = 'V8/native (program)';
      else if (f.url === '' && f.functionName !== '(garbage collector)') {
        // A native frame: it counts for the JavaScript that called it.
        const p = parent.get(id);
        const caller = p === undefined ? undefined : byId.get(p)?.callFrame;
        if (!caller || caller.functionName === '(root)')
          result = f.functionName === 'dispatch' ? 'crypto' : 'other';
        else if (/better-sqlite3/.test(caller.url) && caller.functionName === 'prepare')
          result = 'SQLite statement compilation (prepare)';
        else if (/sqlite-driver\.js/.test(caller.url))
          result = 'SQLite statement execution (incl. fsync wait)';
        else result = classify(defined(p));
      } else {
        const rule = RULES.find(([, test]) => test(f));
        if (rule) result = rule[0];
        else {
          const p = parent.get(id);
          result = p === undefined ? 'other' : classify(p);
        }
      }
    }
    categoryOf.set(id, result);
    return result;
  };
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const c = classify(id);
    if (c === 'idle') return;
    busy += dt;
    totals.set(c, (totals.get(c) ?? 0) + dt);
  });
  return [...totals]
    .map(([category, t]) => ({ category, share: t / busy }))
    .sort((a, b) => b.share - a.share);
}

/** Two profiles' shares side by side (before → after). */
export function printShares(title: string, columns: { name: string; file: string }[]): void {
  const all = columns.map((c) => new Map(profileShares(c.file).map((s) => [s.category, s.share])));
  const categories = [...new Set(all.flatMap((m) => [...m.keys()]))].sort(
    (a, b) => (all[0]?.get(b) ?? 0) - (all[0]?.get(a) ?? 0),
  );
  console.log(`\n${title}`);
  console.log(`| share of busy CPU | ${columns.map((c) => c.name).join(' | ')} |`);
  console.log(`|---|${columns.map(() => '---').join('|')}|`);
  for (const cat of categories) {
    console.log(`| ${cat} | ${all.map((m) => `${((m.get(cat) ?? 0) * 100).toFixed(1)}%`).join(' | ')} |`);
  }
}

if (process.argv[1]?.endsWith('profile-shares.ts')) {
  const files = process.argv.slice(2);
  printShares(
    'CPU profile shares',
    files.map((f) => ({ name: f.split('/').pop() ?? f, file: f })),
  );
}
