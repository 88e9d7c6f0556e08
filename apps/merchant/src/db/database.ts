import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { observeClient, type StatementObserver, sqliteDialect } from '@mycard/db';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type { StatementObserver } from '@mycard/db';

export interface DatabaseOptions {
  /** `postgres://…`, or empty for SQLite at `<dataDir>/merchant.db`. */
  databaseUrl: string;
  dataDir: string;
  /** PostgreSQL schema to work in (created if missing). */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** Sees every statement sent, BEGIN and COMMIT included (see StatementObserver). */
  observe?: StatementObserver;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

// int8 (identity columns, COUNT, SUM) as numbers: every value we store fits in a double. Set on the
// pool's own type table so the process-wide pg defaults stay untouched.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

/**
 * Opens the merchant database: better-sqlite3 (WAL, `synchronous=FULL` so a committed ledger entry
 * survives a power cut) by default, PostgreSQL by URL (durable commits are its default).
 */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const schema = options.schema;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes,
    });
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool,
        onCreateConnection: async (conn) => {
          if (!schema) return;
          // The name is checked by the config (^[a-z_][a-z0-9_]*$), so quoting is enough. The schema
          // itself is created by migrateToLatest before the first table.
          await conn.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
        },
      }),
    });
    const observe = options.observe;
    if (observe) pool.on('connect', (client) => observeClient(client, observe));
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const db = new Kysely<Database>({
    dialect: sqliteDialect(join(options.dataDir, 'merchant.db'), options.observe),
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
