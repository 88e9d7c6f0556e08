import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Pino's numeric levels: 40 is `warn`, 50 `error`, 60 `fatal`. */
const WARN = 40;
const LEVEL_NAMES: Record<number, string> = { 40: 'warning', 50: 'error', 60: 'fatal' };

export interface LogStream {
  /** Pino calls this with one JSON line per entry. */
  write(line: string): void;
}

export interface LogFiles {
  /** The folder the log files are in (`<data folder>/logs`). */
  dir: string;
  /** The file of one server's log (`<dir>/<name>.log`). */
  file(name: string): string;
  /**
   * A log stream for one server: every line is appended to its file; warnings and errors are also
   * told to `terminal` as one readable line (`platform: warning: …`), so the terminal keeps the
   * banner and what needs attention while the request log goes to the file (issue 11 item 14).
   */
  stream(name: string): LogStream;
}

/**
 * The launcher's log files in `<dataDir>/logs`. Lines are appended synchronously: a line written
 * before a crash is in the file, and the order of lines is the order of writes.
 */
export function openLogFiles(dataDir: string, terminal: (line: string) => void): LogFiles {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, `${name}.log`);
  return {
    dir,
    file,
    stream(name) {
      const path = file(name);
      return {
        write(line) {
          appendFileSync(path, line.endsWith('\n') ? line : `${line}\n`);
          const entry = parseEntry(line);
          if (entry && entry.level >= WARN) {
            const what = LEVEL_NAMES[entry.level] ?? LEVEL_NAMES[50];
            const detail = entry.err ? ` (${entry.err})` : '';
            terminal(`${name}: ${what}: ${entry.msg}${detail}`);
          }
        },
      };
    },
  };
}

function parseEntry(line: string): { level: number; msg: string; err?: string } | undefined {
  try {
    const value = JSON.parse(line) as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
    if (typeof value.level !== 'number') return undefined;
    const err = typeof value.err?.message === 'string' ? value.err.message : undefined;
    return { level: value.level, msg: String(value.msg ?? ''), ...(err ? { err } : {}) };
  } catch {
    return undefined;
  }
}
