import { type Compilable, type CompiledQuery, type Kysely, SqliteAdapter } from 'kysely';

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
 * is the same each time, so SQLite's statement cache keeps it prepared). The query's shape must
 * not depend on the values (a second shape is a second query or a variant), and a slot must reach
 * the compiled parameters as it is: one that was changed or dropped while building fails the first
 * call. Each app binds this to its schema (`apps/<app>/src/…/compiled-query.ts`).
 */
export function compiledOnce<DB, R, A extends readonly unknown[]>(
  build: (db: Kysely<DB>, variant: number) => Compilable<R>,
): (db: Kysely<DB>, args: A, variant?: number) => CompiledQuery<R> {
  const kept = new Map<string, Kept>();
  return (db, args, variant = 0) => {
    const key = `${db.getExecutor().adapter instanceof SqliteAdapter ? 's' : 'p'}${variant}`;
    let k = kept.get(key);
    if (!k) {
      k = compile(build(db, variant));
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

function compile(query: Compilable<unknown>): Kept {
  const compiled = query.compile();
  const parameters = compiled.parameters.map((p) => {
    if (typeof p === 'string' && p.includes(SLOT)) {
      const arg = Number(p.slice(SLOT.length));
      if (!p.startsWith(SLOT) || !Number.isInteger(arg))
        throw new Error(`compiledOnce: a slot was changed while building: ${compiled.sql}`);
      return { arg };
    }
    return { value: p };
  });
  return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, parameters };
}
