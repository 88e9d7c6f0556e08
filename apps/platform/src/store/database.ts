import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { observeClient, type StatementObserver, sqliteDialect } from '@mycard/db';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.js';

export type { StatementObserver } from '@mycard/db';

let pgModule: typeof import('pg') | undefined;
/** pg, loaded on the first PostgreSQL database: a SQLite platform never holds it (issue 10: memory). */
function loadPg(): typeof import('pg') {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof import('pg');
    // PostgreSQL returns int8 (bigint, COUNT(*)) as strings by default; every integer we store fits
    // in a double, so parse them as numbers for one repository body on both dialects.
    pgModule.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  }
  return pgModule;
}

export interface DatabaseOptions {
  /** `postgres://…`, or empty for SQLite in `dataDir`. */
  databaseUrl: string;
  dataDir: string;
  /** SQLite file name inside dataDir (default platform.db); ':memory:' for tests. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  pgSchema?: string;
  /** PostgreSQL pool size. */
  pgPoolSize?: number;
  /** How long acquiring a new PostgreSQL connection may take (ms). */
  pgConnectTimeoutMs?: number;
  /** Sees every statement sent, BEGIN and COMMIT included (see StatementObserver). */
  observe?: StatementObserver;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens the platform database: better-sqlite3 (WAL, `synchronous=FULL`: @mycard/db) by default,
 * PostgreSQL by URL.
 */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const pg = loadPg();
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.pgPoolSize ?? 10,
      // A database that stops answering must not hang requests (issue 9.8): a connection is
      // up within 3 s or the request fails (503), a statement runs at most 10 s on the server
      // and 12 s as seen from here, and a transaction left idle is ended after 30 s.
      connectionTimeoutMillis: options.pgConnectTimeoutMs ?? 3000,
      statement_timeout: 10_000,
      query_timeout: 12_000,
      idle_in_transaction_session_timeout: 30_000,
      keepAlive: true,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    // An idle pooled connection that the server (or the network) drops emits 'error' on the pool;
    // unhandled, that would crash the process. The pool discards the client and opens a new one on
    // the next query: requests see the outage as 503s, never as a dead instance.
    pool.on('error', () => {});
    // The same for a connection lost while checked out (pg-pool listens only on idle clients):
    // the query in flight fails (→ 503) and the dead client is not reused.
    const observe = options.observe;
    pool.on('connect', (client) => {
      client.on('error', () => {});
      if (observe) observeClient(client, observe);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = options.sqliteFile ?? 'platform.db';
  let path = file;
  if (file !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    path = join(options.dataDir, file);
  }
  const db = new Kysely<Database>({ dialect: sqliteDialect(path, options.observe) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
