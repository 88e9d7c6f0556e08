import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedStatements } from '../src/statement-cache.js';

interface Db {
  t: { id: number; name: string };
}

describe('SQLite statement cache', () => {
  let db: Kysely<Db> | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  /** A real in-memory database whose `prepare` calls are counted by SQL text. */
  function open(size?: number) {
    const sqlite = new SQLite(':memory:');
    const prepared: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => {
      prepared.push(text);
      return prepare(text);
    }) as typeof sqlite.prepare;
    const seen: string[] = [];
    const database = cachedStatements(sqlite, { ...(size ? { size } : {}), observe: (t) => seen.push(t) });
    db = new Kysely<Db>({ dialect: new SqliteDialect({ database }) });
    return { db, prepared, seen };
  }

  it('prepares a query once and runs it again with other parameters', async () => {
    const { db, prepared, seen } = open();
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    for (let i = 1; i <= 5; i++)
      await db
        .insertInto('t')
        .values({ id: i, name: `n${i}` })
        .execute();
    const names: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const row = await db.selectFrom('t').select('name').where('id', '=', i).executeTakeFirstOrThrow();
      names.push(row.name);
    }
    expect(names).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const selects = prepared.filter((t) => t.startsWith('select'));
    const inserts = prepared.filter((t) => t.startsWith('insert'));
    expect(selects).toHaveLength(1);
    expect(inserts).toHaveLength(1);
    // Every run is observed, cached or not.
    expect(seen.filter((t) => t.startsWith('select'))).toHaveLength(5);
  });

  it('keeps at most `size` statements, evicting the least recently used', async () => {
    const { db, prepared } = open(2);
    const q = (n: number) => db.executeQuery(CompiledQuery.raw(`select ${n} as v`));
    await q(1);
    await q(2);
    await q(1); // 1 is now the most recent
    await q(3); // evicts 2
    await q(1); // still kept
    await q(2); // prepared again
    expect(prepared).toEqual(['select 1 as v', 'select 2 as v', 'select 3 as v', 'select 2 as v']);
  });

  it('answers with the new schema after a table changes (kept statements are re-prepared by SQLite)', async () => {
    const { db } = open();
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('t').values({ id: 1, name: 'a' }).execute();
    const before = await db.executeQuery(CompiledQuery.raw('select * from t'));
    expect(before.rows).toEqual([{ id: 1, name: 'a' }]);
    await sql`alter table t add column extra text not null default 'x'`.execute(db);
    const after = await db.executeQuery(CompiledQuery.raw('select * from t'));
    expect(after.rows).toEqual([{ id: 1, name: 'a', extra: 'x' }]);
  });
});
