import SQLite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { StatementObserver } from './observe.js';
import { cachedStatements } from './statement-cache.js';

/**
 * Kysely's SQLite dialect on better-sqlite3 at `path` (a file, or ':memory:'): WAL, foreign keys
 * on, a 5 s busy timeout, prepared statements kept (statement-cache.ts), and `synchronous=FULL`
 * so an acknowledged commit survives a power loss (PROTOCOL.md §10) — throughput comes from
 * grouping commits, never from weakening this. `observe`, when given, sees every statement run.
 */
export function sqliteDialect(path: string, observe?: StatementObserver): SqliteDialect {
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const database = cachedStatements(sqlite, observe ? { observe: (text) => observe(text, sqlite) } : {});
  return new SqliteDialect({ database });
}
