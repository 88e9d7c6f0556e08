import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { groupCommit } from '../../src/db/group-commit.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { addMember, balanceOf, entryCount, usePosMerchant } from '../support/merchant-harness.js';

/**
 * The SQLite group commit itself, on a real database file (WAL, synchronous=FULL): requests
 * queued in one turn of the event loop share one transaction (counted by the statements the
 * connection ran), a failing request is rolled back alone, and nobody is answered before COMMIT.
 */
describe('SQLite group commit', () => {
  let dataDir: string | undefined;
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    handle = undefined;
    dataDir = undefined;
  });

  async function open() {
    dataDir = mkdtempSync(join(tmpdir(), 'merchant-group-'));
    const statements: string[] = [];
    handle = openDatabase({ databaseUrl: '', dataDir, observe: (text) => statements.push(text) });
    await migrateToLatest(handle.db);
    await sql`create table probe (id integer primary key, label text not null unique)`.execute(handle.db);
    statements.length = 0;
    return { db: handle.db, statements };
  }

  it('commits the requests of one turn in one transaction; a failing one leaves the others in', async () => {
    const { db, statements } = await open();
    const committer = groupCommit(db);
    const answered: string[] = [];
    const runs = ['a', 'b', 'c', 'd', 'e'].map((label) =>
      committer
        .run(async (trx) => {
          await trx
            .insertInto('probe' as never)
            .values({ label } as never)
            .execute();
          // 'c' writes, then fails: its row must go, the others' must stay.
          if (label === 'c') throw new Error('refused c');
          return label;
        })
        .then(
          (v) => answered.push(`ok ${v}`),
          (err: Error) => answered.push(err.message),
        ),
    );
    await Promise.all(runs);
    expect(answered.sort()).toEqual(['ok a', 'ok b', 'ok d', 'ok e', 'refused c']);
    const rows = await sql<{ label: string }>`select label from probe order by id`.execute(db);
    expect(rows.rows.map((r) => r.label)).toEqual(['a', 'b', 'd', 'e']);
    expect(statements.filter((s) => s === 'begin')).toHaveLength(1);
    expect(statements.filter((s) => s === 'commit')).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('rollback to'))).toHaveLength(1);
    expect(committer.stats()).toEqual({ commits: 1, requests: 5 });
  });

  it('answers no request before the shared COMMIT has returned', async () => {
    const { db, statements } = await open();
    const committer = groupCommit(db);
    const seenAtAnswer: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        committer
          .run(async (trx) => {
            await trx
              .insertInto('probe' as never)
              .values({ label: `x${n}` } as never)
              .execute();
          })
          .then(() => seenAtAnswer.push(statements.lastIndexOf('commit'))),
      ),
    );
    // Every answer came after the one COMMIT was run.
    expect(seenAtAnswer).toHaveLength(3);
    for (const index of seenAtAnswer) expect(index).toBeGreaterThan(0);
    expect(statements.at(-1)).toBe('commit');
  });

  it('fails the whole group when COMMIT fails: nothing of it is stored', async () => {
    const { db } = await open();
    // A deferred foreign key fails at COMMIT, not at the statement.
    await sql`create table parent (id integer primary key)`.execute(db);
    await sql`create table child (id integer primary key, parent_id integer references parent(id) deferrable initially deferred)`.execute(
      db,
    );
    const committer = groupCommit(db);
    const outcomes = await Promise.allSettled([
      committer.run(async (trx) => {
        await trx
          .insertInto('probe' as never)
          .values({ label: 'kept?' } as never)
          .execute();
      }),
      committer.run(async (trx) => {
        await sql`insert into child (id, parent_id) values (1, 42)`.execute(trx);
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    const rows = await sql<{ n: number }>`select count(*) as n from probe`.execute(db);
    expect(rows.rows[0]?.n).toBe(0);
    // And the committer goes on working.
    await committer.run(async (trx) => {
      await trx
        .insertInto('probe' as never)
        .values({ label: 'after' } as never)
        .execute();
    });
    const after = await sql<{ n: number }>`select count(*) as n from probe`.execute(db);
    expect(after.rows[0]?.n).toBe(1);
  });
});

describe('POS requests in one group commit (SQLite)', () => {
  const t = usePosMerchant('sqlite');

  it('a refused redeem in the group leaves the accruals beside it committed; balances are sums', async () => {
    const rich = await addMember(t.merchant, 'group-rich@example.com');
    const poor = await addMember(t.merchant, 'group-poor@example.com');
    const before = t.merchant.context.ledger.stats();
    const accruals = Array.from({ length: 12 }, (_, i) =>
      t.pos.post('accrue', { code: rich.membership_code, amount: 1000, currency: 'TWD', orderId: `G-${i}` }),
    );
    const redeem = t.pos.post('redeem', { code: poor.membership_code, points: 5, orderId: 'G-R' });
    const [results, refused] = await Promise.all([Promise.all(accruals), redeem]);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('insufficient_points');
    const after = t.merchant.context.ledger.stats();
    // Grouped: fewer commits than requests (the refused one was among them).
    expect(after.requests - before.requests).toBe(13);
    expect(after.commits - before.commits).toBeLessThan(13);
    expect(await entryCount(t.merchant, rich.id)).toBe(12);
    expect(await entryCount(t.merchant, poor.id)).toBe(0);
    expect(await balanceOf(t.merchant, rich.id)).toBe(12 * 10);
    expect(await balanceOf(t.merchant, poor.id)).toBe(0);
  });
});
