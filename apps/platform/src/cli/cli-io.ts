import { parseArgs } from 'node:util';

/** Where a command writes and what it reads; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /**
   * Asks on the terminal without echoing the answer (passwords); absent when stdin is not a TTY,
   * in which case commands that would ask print a one-time link instead.
   */
  askHidden?: (question: string) => Promise<string>;
}

/** A usage or validation error: message on stderr, exit code 2, nothing changed. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The `--json` flag of commands that take no other argument; anything else is a usage error. */
export function parseJsonFlag(args: string[]): boolean {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  return values.json;
}
