import { type ColumnDefinitionBuilder, type Kysely, SqliteAdapter } from 'kysely';

/** True when `db` runs on SQLite (the embedded default); false on PostgreSQL. */
export function isSqlite(db: { getExecutor(): { readonly adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-incrementing integer primary key on either dialect. */
export function autoIncrementId(db: Kysely<unknown>) {
  return (c: ColumnDefinitionBuilder) =>
    isSqlite(db) ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
}

/** True when `err` is a unique-constraint violation (SQLite or PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
