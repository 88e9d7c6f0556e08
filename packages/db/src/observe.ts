import type pg from 'pg';

/**
 * Sees every statement sent to the database with the connection it runs on (SQLite has one),
 * BEGIN and COMMIT included: for tests that count round trips, and for diagnostics.
 */
export type StatementObserver = (sql: string, connection: object) => void;

/** Reports each query a pooled PostgreSQL client sends (Kysely calls `query(text, values)`). */
export function observeClient(client: pg.PoolClient, observe: StatementObserver): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (text !== undefined) observe(text, client);
    return query(...args);
  };
}
