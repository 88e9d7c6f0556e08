import type { CardProfileUpdate } from '@mycard/protocol';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
import type { Database } from '../../src/db/schema.js';
import type { PlatformPort } from '../../src/platform/platform-port.js';
import { claimDueRows } from '../../src/sync/outbox-worker.js';
import { buildMerchant, createTestStore, DIALECTS, type TestStore } from '../support/merchant-harness.js';

/**
 * Two merchant instances on one database (issue 9, §10 for the reference merchant): each profile
 * update is claimed by one worker at a time, so it is sent once, and a claim left by a worker that
 * died is taken over when its lease runs out. The real-process version (two instances behind
 * haproxy) is apps/merchant/test/cluster.
 */
function recordingPlatform(delayMs: number) {
  const sent: Array<{ bindingId: string; profile: CardProfileUpdate; by: string }> = [];
  const port = (by: string): PlatformPort => ({
    channelId: '1234567890',
    verifyBindingRequest: () => Promise.reject(new Error('unused')),
    getBinding: () => Promise.reject(new Error('unused')),
    apply: () => Promise.reject(new Error('unused')),
    unbind: async () => undefined,
    sendMessage: () => Promise.reject(new Error('unused')),
    resolveOneTimeKey: () => Promise.reject(new Error('unused')),
    verifyWebhook: () => Promise.reject(new Error('unused')),
    updateProfile: async (bindingId, profile) => {
      await new Promise((r) => setTimeout(r, delayMs));
      sent.push({ bindingId, profile, by });
    },
  });
  return { sent, port };
}

describe.each(DIALECTS)('profile outbox claims with two instances (%s)', (dialect) => {
  let store: TestStore;
  let a: MerchantApp;
  let b: MerchantApp;
  let clock = Date.parse('2026-12-02T10:00:00.000Z');
  const platform = recordingPlatform(5);

  beforeAll(async () => {
    store = createTestStore(dialect);
    const now = () => new Date(clock);
    a = await buildMerchant(store, { platform: platform.port('a'), now });
    b = await buildMerchant(store, { platform: platform.port('b'), now });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await store?.destroy();
  });

  /** A pending outbox row, written as the ledger would. */
  const pendingRow = (bindingId: string, memberId: number, version: number, points: number) => {
    const at = new Date(clock).toISOString();
    return {
      binding_id: bindingId,
      member_id: memberId,
      version,
      points,
      level: null,
      state: 'pending' as const,
      attempts: 0,
      next_attempt_at: at,
      last_error: null,
      created_at: at,
      delivered_at: null,
    };
  };

  /** Pending rows for `count` bindings (one per binding, versions from 10). */
  const enqueue = async (prefix: string, count: number) => {
    await a.context.db
      .insertInto('profile_outbox')
      .values(
        Array.from({ length: count }, (_, i) =>
          pendingRow(`${prefix}_${String(i).padStart(4, '0')}`, i + 1, 10 + i, 100 + i),
        ),
      )
      .execute();
  };

  /** The ledger moves on: version 11 (150 points) of a binding enqueued with version 10. */
  const enqueueVersion11 = async (bindingId: string) => {
    await a.context.db
      .insertInto('profile_outbox')
      .values(pendingRow(bindingId, 1, 11, 150))
      .execute();
  };

  it('two workers running at once send every update exactly once between them', async () => {
    await enqueue('race', 40);
    const [fromA, fromB] = await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
    const raced = platform.sent.filter((s) => s.bindingId.startsWith('race_'));
    expect(fromA + fromB).toBe(40);
    expect(raced).toHaveLength(40);
    expect(new Set(raced.map((s) => s.bindingId)).size).toBe(40);
    const left = await a.context.db
      .selectFrom('profile_outbox')
      .select(['state', 'lease_until'])
      .where('binding_id', 'like', 'race_%')
      .execute();
    expect(left.every((r) => r.state === 'delivered' && r.lease_until === null)).toBe(true);
  });

  it('a row claimed by a worker that died is left alone until its lease runs out, then taken over', async () => {
    await enqueue('dead', 3);
    // Worker "ghost" claims the rows and never delivers them (killed mid-round).
    const ghost = await claimDueRows(a.context, 'ghost:1:dead');
    expect(ghost.map((r) => r.binding_id).sort()).toEqual(['dead_0000', 'dead_0001', 'dead_0002']);
    expect(ghost.every((r) => r.leased_by === 'ghost:1:dead' && r.lease_until !== null)).toBe(true);

    // While the lease holds, neither live worker sends them …
    expect(await b.worker.runOnce()).toBe(0);
    expect(await claimDueRows(a.context, 'other:2:x')).toEqual([]);
    clock += a.config.sync.leaseMs - 1;
    expect(await b.worker.runOnce()).toBe(0);
    expect(platform.sent.filter((s) => s.bindingId.startsWith('dead_'))).toHaveLength(0);

    // … once it has run out, one of them does, once.
    clock += 2;
    const [fromA, fromB] = await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
    expect(fromA + fromB).toBe(3);
    expect(platform.sent.filter((s) => s.bindingId.startsWith('dead_'))).toHaveLength(3);
  });

  it('a newer update of a binding whose older update is held waits for that delivery to settle', async () => {
    await enqueue('held', 1);
    const held = await claimDueRows(a.context, 'ghost:1:held');
    expect(held).toHaveLength(1);
    // The ledger moves on: version 11 of the same binding arrives while version 10 is held.
    await enqueueVersion11('held_0000');
    // No second worker sends version 11 beside version 10 (versions reach the platform in order).
    expect(await claimDueRows(b.context, 'other:2:held')).toEqual([]);
    clock += a.config.sync.leaseMs + 1;
    await b.worker.runOnce();
    const sent = platform.sent.filter((s) => s.bindingId === 'held_0000');
    // The newest state supersedes the held one: one send, of version 11.
    // Written without expiry fields (as rows from before lots): sent as cleared.
    expect(sent.map((s) => s.profile)).toEqual([
      { points: 150, version: 11, pointsExpireAt: null, expiringPoints: null },
    ]);
  });

  // PostgreSQL only: SQLite runs one write at a time, so two claims cannot overlap there.
  if (dialect !== 'postgres') return;
  it('two claims started together never take two versions of one card (the second waits for the first to commit)', async () => {
    await enqueue('pair', 1);
    // Instance "slow" claims version 10; its COMMIT takes 400 ms to reach the database, so its
    // lease is invisible to others for that long. Meanwhile the ledger writes version 11 and
    // instance b claims: it must not see version 11 as free while version 10 is on its way out.
    const pool = new pg.Pool({ connectionString: defined(store.config.databaseUrl), max: 2 });
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as { query: unknown }).query = async (...args: unknown[]) => {
        if (args[0] === 'commit') await new Promise((r) => setTimeout(r, 400));
        return query(...args);
      };
    });
    const slowDb = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool,
        onCreateConnection: async (conn) => {
          await conn.executeQuery(
            CompiledQuery.raw(`set search_path to "${defined(store.config.databaseSchema)}"`),
          );
        },
      }),
    });
    try {
      const slow = claimDueRows({ ...a.context, db: slowDb }, 'slow:1:pair');
      await new Promise((r) => setTimeout(r, 150));
      await enqueueVersion11('pair_0000');
      const other = await claimDueRows(b.context, 'other:2:pair');
      expect((await slow).map((r) => Number(r.version))).toEqual([10]);
      expect(other.filter((r) => r.binding_id === 'pair_0000')).toEqual([]);
    } finally {
      await slowDb.destroy();
    }
  });
});
