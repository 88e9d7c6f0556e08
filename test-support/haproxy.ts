import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's haproxy (`.ci/run` installs it), for the multi-instance suites. */
export const HAPROXY = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';

export function haproxyAvailable(): boolean {
  return spawnSync(HAPROXY, ['-v'], { stdio: 'ignore' }).status === 0;
}

export interface HaproxyShape {
  port: number;
  statsPort: number;
  /** The backend's name: `platform` or `merchant`. */
  backend: string;
  servers: number[];
}

/**
 * The haproxy configuration the multi-instance suites run (and docs/operations.md shows): round
 * robin over the instances, a readiness health check every 300 ms that may take up to 2 s to answer
 * (2 failures take an instance out, 2 successes bring it back), X-Forwarded-For added (the instances trust 127.0.0.1 as their
 * proxy), a request that failed to connect re-dispatched to another instance, and a CSV stats page.
 */
export function haproxyConfig(input: HaproxyShape): string {
  const letter = input.backend.slice(0, 1);
  return `global
  maxconn 512

defaults
  mode http
  timeout connect 1s
  timeout client 15s
  timeout server 15s
  timeout check 2s
  option forwardfor
  option redispatch
  retries 2

frontend mycard
  bind 127.0.0.1:${input.port}
  default_backend ${input.backend}

backend ${input.backend}
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 300ms fall 2 rise 2
${input.servers.map((p, i) => `  server ${letter}${i + 1} 127.0.0.1:${p} check`).join('\n')}

listen stats
  bind 127.0.0.1:${input.statsPort}
  stats enable
  stats uri /stats
`;
}

export interface RunningHaproxy {
  url: string;
  /** haproxy's view of each server (`p1`, `m2` …): `UP`, `DOWN` … */
  serverStates(): Promise<Record<string, string>>;
  /** Resolves once every server is in `state` (throws after `timeoutMs`). */
  waitFor(state: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Writes the configuration into `dir`, starts haproxy and waits until every server is UP. */
export async function startHaproxy(dir: string, shape: HaproxyShape): Promise<RunningHaproxy> {
  const cfg = join(dir, `haproxy-${shape.backend}.cfg`);
  writeFileSync(cfg, haproxyConfig(shape));
  const child = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr?.on('data', (d) => {
    out = (out + String(d)).slice(-4000);
  });
  const serverStates = async () => {
    const csv = await (await fetch(`http://127.0.0.1:${shape.statsPort}/stats;csv`)).text();
    const states: Record<string, string> = {};
    for (const line of csv.split('\n')) {
      const cols = line.split(',');
      if (cols[0] === shape.backend && cols[1] !== 'BACKEND' && cols[1] !== undefined)
        states[cols[1]] = cols[17] ?? '';
    }
    return states;
  };
  const waitFor = async (state: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await serverStates().catch(() => ({}) as Record<string, string>);
      const values = Object.values(states);
      if (values.length === shape.servers.length && values.every((s) => s === state)) return;
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`haproxy: servers not ${state} (${JSON.stringify(states)}): ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await waitFor('UP');
  return {
    url: `http://127.0.0.1:${shape.port}`,
    serverStates,
    waitFor,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
