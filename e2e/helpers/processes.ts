import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defined } from '../../test-support/defined.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Running {
  name: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <args>` from the repository root with `env`, keeping its output for failure reports. */
export function startProcess(name: string, args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      // Passwords at the tests' scrypt cost (development mode only; production refuses it).
      MYCARD_PASSWORD_COST: 'test',
      MYCARD_MERCHANT_PASSWORD_COST: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  defined(child.stdout).on('data', keep);
  defined(child.stderr).on('data', keep);
  return {
    name,
    child,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Polls `url` until it answers 2xx (or the process dies, or `timeoutMs` passes). */
export async function waitForHttp(running: Running, url: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) {
      throw new Error(
        `${running.name} exited (${running.child.exitCode}) before it was ready:\n${running.output()}`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${running.name} did not answer ${url} within ${timeoutMs} ms:\n${running.output()}`);
}
