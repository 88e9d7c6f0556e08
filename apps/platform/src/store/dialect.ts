import { type ColumnDefinitionBuilder, type Kysely, SqliteAdapter } from 'kysely';

/** True when `db` runs on SQLite (the embedded default); false on PostgreSQL. */
export function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-incrementing integer primary key on either dialect. */
export function autoIncrementId(db: Kysely<unknown>) {
  return (c: ColumnDefinitionBuilder) =>
    isSqlite(db) ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
}

/**
 * True when `err` is a unique-constraint violation (SQLite SQLITE_CONSTRAINT_UNIQUE /
 * SQLITE_CONSTRAINT_PRIMARYKEY, PostgreSQL 23505), optionally of the named index/constraint.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') return constraint ? e.constraint === constraint : true;
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // SQLite names the columns, not the index: match on the columns the named index covers.
    if (!constraint) return true;
    const columns = SQLITE_INDEX_COLUMNS[constraint] ?? constraint;
    return (e.message ?? '').includes(columns);
  }
  return false;
}

/** Columns of each unique index as SQLite names them in its error message. */
const SQLITE_INDEX_COLUMNS: Record<string, string> = {
  bindings_one_card_per_user: 'bindings.channel_id, bindings.user_id',
  bindings_one_code_per_program: 'bindings.channel_id, bindings.membership_code',
  card_messages_pk: 'card_messages.channel_id, card_messages.message_id',
  merchant_nonces_pk: 'merchant_nonces.channel_id, merchant_nonces.nonce',
  one_time_key_uses_pk: 'one_time_key_uses.key_hash, one_time_key_uses.channel_id',
  operators_email_key: 'operators.email',
};
