import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { MerchantConfigInput } from '../../src/config.js';

const ENTRY = join(import.meta.dirname, 'merchant-entry.ts');

export interface MerchantProcess {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL: a crash, no graceful close. Resolves once the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/**
 * The reference merchant as its own process (TypeScript sources through tsx), listening on
 * 127.0.0.1:`config.port`; `start()` resolves once `/readyz` answers 200. Start again after a
 * kill: same config, same database.
 */
export function merchantProcess(
  config: MerchantConfigInput,
  operator = 'cashier:cashier-password',
): MerchantProcess {
  const port = Number(config.port);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let out = '';
  let dying: Promise<unknown> | undefined;
  const env = {
    ...process.env,
    MYCARD_TEST_MERCHANT_CONFIG: JSON.stringify(config),
    MYCARD_TEST_MERCHANT_OPERATOR: operator,
  };
  const gone = (c: ChildProcess | undefined) => !c || c.exitCode !== null || c.signalCode !== null;
  const self: MerchantProcess = {
    url,
    port,
    output: () => out,
    async start() {
      // A kill in progress (its caller may not have awaited it yet) finishes first.
      await dying;
      if (!gone(child)) return;
      const c = spawn(process.execPath, ['--import', 'tsx', '--conditions=@mycard/source', ENTRY], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.once('exit', (code, signal) => {
        out += `\n[merchant exited: ${signal ?? code}]\n`;
      });
      const keep = (d: unknown) => {
        out = (out + String(d)).slice(-6000);
      };
      c.stdout?.on('data', keep);
      c.stderr?.on('data', keep);
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        if (gone(c)) throw new Error(`merchant exited: ${out}`);
        const ok = await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`merchant not ready: ${out}`);
    },
    async kill() {
      const c = child;
      if (!c || gone(c)) return;
      dying = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await dying;
    },
    async stop() {
      const c = child;
      if (!c || gone(c)) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  return self;
}
