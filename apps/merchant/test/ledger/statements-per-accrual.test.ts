import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementCounter } from '../../../../test-support/statement-counter.js';
import type { MerchantApp } from '../../src/app.js';
import {
  addMember,
  buildMerchant,
  createTestStore,
  DIALECTS,
  type PosClient,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

/**
 * What one accrual asks of the database, counted on the real driver of each dialect: the
 * operator's session is one read, the accrual itself one transaction (the member, its locked
 * balance and the idempotency check in one query, the entry, its lot, the tier, the balance, the
 * profile outbox) — deterministic
 * counts, so they are bounds here; how fast that is belongs to `npm run bench`.
 */
describe.each(DIALECTS)('statements per accrual (%s)', (dialect) => {
  const counter = new StatementCounter();
  let store: TestStore;
  let merchant: MerchantApp;
  let pos: PosClient;
  let code: string;
  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(store, { observeStatements: counter.observe });
    pos = await posClient(merchant);
    code = (await addMember(merchant, 'count@example.com')).membership_code;
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('an accrual by membership code: one write transaction (the till session checked in it)', async () => {
    // Warm: the first call of a connection may set things up (search_path on PostgreSQL).
    await pos.post('accrue', { code, amount: 500, currency: 'TWD', orderId: 'W-0' });
    const { value, transactions, statements, log } = await counter.during(() =>
      pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'C-1' }),
    );
    expect(value.status).toBe(201);
    // The session was checked moments ago (the warm-up): the sale checks it again in its own query.
    // PostgreSQL: a read and one write statement, each its own transaction (no BEGIN/COMMIT).
    expect(transactions, log.join('\n')).toBe(dialect === 'postgres' ? 2 : 1);
    expect(log.filter((s) => /^\s*(insert|update|with)/i.test(s)).length, log.join('\n')).toBe(
      dialect === 'postgres' ? 1 : 5,
    );
    // member + locked balance + kept aggregates + replay and session checks in one; then on SQLite the
    // entry, its point lot, the tier (from the kept rolling spend: no scan of the member's year),
    // the balance with the kept aggregates, the outbox — on PostgreSQL all of these in one statement
    // (one round trip).
    expect(statements, log.join('\n')).toBeLessThanOrEqual(dialect === 'postgres' ? 2 : 6);
  });

  it('a replay: the member read and the earlier entry, and nothing written', async () => {
    const { value, transactions, statements, log } = await counter.during(() =>
      pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'C-1' }),
    );
    expect(value.status).toBe(201);
    expect(value.body.entry.id).toBeGreaterThan(0);
    expect(transactions, log.join('\n')).toBe(dialect === 'postgres' ? 2 : 1);
    expect(log.filter((s) => /^\s*(insert|update)/i.test(s))).toEqual([]);
    expect(statements, log.join('\n')).toBeLessThanOrEqual(2);
  });
});
