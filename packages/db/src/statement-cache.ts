import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many prepared statements one SQLite connection keeps (each app has a few hundred distinct queries). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 as Kysely's `SqliteDialect` sees it, with its prepared statements kept by SQL
 * text in a bounded LRU: Kysely's driver calls `prepare` for every query, and compiling a
 * statement costs more than running it. A kept statement is safe to reuse — the driver runs one
 * query at a time on its single connection, and SQLite re-prepares a statement by itself when the
 * schema changes. `observe`, when given, sees every statement's SQL as it is run (counting tests,
 * metrics).
 */
export function cachedStatements(
  database: SQLite.Database,
  options: { size?: number; observe?: (sql: string) => void } = {},
): SqliteDatabase {
  const size = options.size ?? STATEMENT_CACHE_SIZE;
  const observe = options.observe;
  const kept = new Map<string, SQLite.Statement>();
  function statement(sql: string): SQLite.Statement {
    let stmt = kept.get(sql);
    if (stmt) {
      // Most recently used last: the first key is the one to evict.
      kept.delete(sql);
    } else {
      stmt = database.prepare(sql);
      if (kept.size >= size) {
        const oldest = kept.keys().next();
        if (!oldest.done) kept.delete(oldest.value);
      }
    }
    kept.set(sql, stmt);
    return stmt;
  }
  return {
    prepare(sql: string): SqliteStatement {
      const stmt = statement(sql);
      if (!observe) return stmt;
      return {
        reader: stmt.reader,
        all: (parameters) => {
          observe(sql);
          return stmt.all(parameters);
        },
        run: (parameters) => {
          observe(sql);
          return stmt.run(parameters);
        },
        iterate: (parameters) => {
          observe(sql);
          return stmt.iterate(parameters);
        },
      };
    },
    close() {
      kept.clear();
      database.close();
    },
  };
}
