import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledOnce, slot } from '../src/compiled-query.js';

interface Db {
  t: { id: string; n: number | null; tag: string };
}

const PG_URL = process.env.MYCARD_TEST_DATABASE_URL;
const DIALECTS = PG_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

/** How many times the insert's builder ran. */
let builds = 0;
const insertRow = compiledOnce<Db, unknown, [string, number | null]>((db) => {
  builds++;
  return db.insertInto('t').values({ id: slot<string>(0), n: slot<number | null>(1), tag: 'fixed' });
});
const raise = compiledOnce<Db, { id: string; n: number | null }, [string, number]>((db) =>
  db
    .updateTable('t')
    .set({ n: slot(1) })
    .where('id', '=', slot<string>(0))
    .where('n', '<', slot<number>(1))
    .returning(['id', 'n']),
);
const byId = compiledOnce<Db, Db['t'], [string]>((db) =>
  db.selectFrom('t').selectAll().where('id', '=', slot<string>(0)),
);

describe.each(DIALECTS)('queries compiled once (%s)', (dialect) => {
  let db: Kysely<Db>;
  const schema = `compiled_once_${process.pid}`;
  beforeAll(async () => {
    if (dialect === 'sqlite') {
      db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    } else {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
      await admin.end();
      const pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` });
      db = new Kysely<Db>({ dialect: new PostgresDialect({ pool }) });
    }
    await sql`create table t (id text primary key, n integer, tag text not null)`.execute(db);
  });
  afterAll(async () => {
    if (dialect === 'postgres') await sql.raw(`drop schema ${schema} cascade`).execute(db);
    await db?.destroy();
  });

  it('runs the compiled SQL with each call’s values, as the built query would', async () => {
    const before = builds;
    for (let i = 0; i < 5; i++) await db.executeQuery(insertRow(db, [`r${i}`, i === 4 ? null : i]));
    // Built once for this dialect, whatever the number of calls.
    expect(builds - before).toBe(1);
    expect(await db.selectFrom('t').selectAll().orderBy('id').execute()).toEqual([
      { id: 'r0', n: 0, tag: 'fixed' },
      { id: 'r1', n: 1, tag: 'fixed' },
      { id: 'r2', n: 2, tag: 'fixed' },
      { id: 'r3', n: 3, tag: 'fixed' },
      { id: 'r4', n: null, tag: 'fixed' },
    ]);
    // A slot used twice (set and where) takes the same value both times.
    expect((await db.executeQuery(raise(db, ['r1', 7]))).rows).toEqual([{ id: 'r1', n: 7 }]);
    expect((await db.executeQuery(raise(db, ['r1', 5]))).rows).toEqual([]);
    expect((await db.executeQuery(byId(db, ['r1']))).rows).toEqual([{ id: 'r1', n: 7, tag: 'fixed' }]);
    expect((await db.executeQuery(byId(db, ['nope']))).rows).toEqual([]);
  });

  it('runs in a transaction, and a value is only ever a parameter', async () => {
    const id = "x'); drop table t; --";
    await db.transaction().execute(async (trx) => {
      await trx.executeQuery(insertRow(trx, [id, 1]));
      expect((await trx.executeQuery(byId(trx, [id]))).rows).toHaveLength(1);
    });
    expect((await db.executeQuery(byId(db, [id]))).rows).toEqual([{ id, n: 1, tag: 'fixed' }]);
  });

  it('refuses a builder that changed a slot instead of sending it as it is', () => {
    const lowered = compiledOnce<Db, Db['t'], [string]>((db) =>
      db
        .selectFrom('t')
        .selectAll()
        .where('id', '=', `prefix-${slot<string>(0)}`),
    );
    expect(() => lowered(db, ['R1'])).toThrow(/slot was changed/);
  });
});
