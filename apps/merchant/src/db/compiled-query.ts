import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { isSqlite } from './dialect.js';
import type { Database } from './schema.js';

const SLOT = '\u0000mycard-slot:';

/**
 * A parameter slot of a query built once by {@link compiledOnce}: stands for `args[index]` of each
 * call. Typed as the value it stands for, so the query builder checks the columns it is compared
 * with or written to.
 */
export function slot<T>(index: number): T {
  return `${SLOT}${index}` as T;
}

interface Kept {
  sql: string;
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
  /** For each compiled parameter: the argument index it takes, or its own (constant) value. */
  parameters: ReadonlyArray<{ arg: number } | { value: unknown }>;
}

/**
 * A hot query built and compiled once per dialect (and `variant`, e.g. the length of an IN list)
 * instead of on every call: Kysely's query building and compilation cost more than running a
 * prepared SQLite statement. `build` uses {@link slot}(i) where each call's `args[i]` goes; the
 * call returns a CompiledQuery with those values, to run with `db.executeQuery(…)` (the SQL text
 * is the same each time, so SQLite's statement cache keeps it prepared).
 */
export function compiledOnce<R, A extends readonly unknown[]>(
  build: (db: Kysely<Database>, variant: number) => Compilable<R>,
): (db: Kysely<Database>, args: A, variant?: number) => CompiledQuery<R> {
  const kept = new Map<string, Kept>();
  return (db, args, variant = 0) => {
    const key = `${isSqlite(db) ? 's' : 'p'}${variant}`;
    let k = kept.get(key);
    if (!k) {
      const compiled = build(db, variant).compile();
      k = {
        sql: compiled.sql,
        query: compiled.query,
        queryId: compiled.queryId,
        parameters: compiled.parameters.map((p) =>
          typeof p === 'string' && p.startsWith(SLOT) ? { arg: Number(p.slice(SLOT.length)) } : { value: p },
        ),
      };
      kept.set(key, k);
    }
    return {
      sql: k.sql,
      query: k.query,
      queryId: k.queryId,
      parameters: k.parameters.map((p) => ('arg' in p ? args[p.arg] : p.value)),
    } as CompiledQuery<R>;
  };
}
