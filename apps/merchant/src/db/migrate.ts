import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { isSqlite } from './dialect.js';
import * as initial from './migrations/0001-initial.js';
import * as spentKeys from './migrations/0002-spent-one-time-keys.js';
import * as outboxLease from './migrations/0003-outbox-lease.js';
import * as pointLots from './migrations/0004-point-lots.js';
import * as groupStores from './migrations/0005-group-stores.js';
import * as ledgerAggregates from './migrations/0006-ledger-aggregates.js';
import type { Database } from './schema.js';

/** Every migration, in order. A new one is a new file plus one line here. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-spent-one-time-keys': spentKeys,
  '0003-outbox-lease': outboxLease,
  '0004-point-lots': pointLots,
  '0005-group-stores': groupStores,
  '0006-ledger-aggregates': ledgerAggregates,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema to the latest version (run on every start; a no-op when current). On PostgreSQL
 * with a configured schema, the schema is created first (the connection's search_path points at it).
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<void> {
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const { error, results } = await migrator(db, schema).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`merchant database migration ${failed ?? ''} failed`, { cause: error });
  }
}

/** Brings the schema to exactly migration `name` (tests of a migration over older data). */
export async function migrateTo(db: Kysely<Database>, name: string, schema?: string): Promise<void> {
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const { error } = await migrator(db, schema).migrateTo(name);
  if (error) throw error;
}

/** Undoes the latest migration (operations and tests of `down`). */
export async function migrateDown(db: Kysely<Database>, schema?: string): Promise<void> {
  const { error } = await migrator(db, schema).migrateDown();
  if (error) throw error;
}

// Kysely looks for its bookkeeping table in every schema it can see; naming the schema keeps two
// merchant databases (or the platform's tables) on one PostgreSQL server from confusing it.
function migrator(db: Kysely<Database>, schema?: string): Migrator {
  const migrationTableSchema = schema || (isSqlite(db) ? undefined : 'public');
  // Unordered: migrations written on parallel branches may land in either order, and a database
  // that ran one of them first still takes the other.
  return new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}
