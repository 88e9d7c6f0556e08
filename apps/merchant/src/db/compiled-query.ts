import { compiledOnce as compiledOnceFor } from '@mycard/db';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

export { slot } from '@mycard/db';

/** `@mycard/db`'s compiledOnce for the merchant's schema: a hot query built once per dialect. */
export function compiledOnce<R, A extends readonly unknown[]>(
  build: (db: Kysely<Database>, variant: number) => Compilable<R>,
): (db: Kysely<Database>, args: A, variant?: number) => CompiledQuery<R> {
  return compiledOnceFor<Database, R, A>(build);
}
