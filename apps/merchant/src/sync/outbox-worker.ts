import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CardProfileUpdate } from '@mycard/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { MerchantContext } from '../context.js';
import { isSqlite } from '../db/dialect.js';
import type { OutboxRow } from '../db/schema.js';
import { backoffMs, classifyFailure } from './classify-failure.js';

/** A card that has not completed in the wallet this long after Apply stops being retried on 3004. */
const STATE_RETRY_WINDOW_MS = 30 * 60 * 1000;
const PARALLEL_BINDINGS = 8;
/** PostgreSQL advisory lock key taken while claiming outbox rows (any fixed 64-bit number). */
const OUTBOX_CLAIM_LOCK = 0x6d79_6361_7264; // "mycard"

export interface OutboxWorker {
  /** Starts polling every `config.sync.pollMs` (no-op when 0). */
  start(): void;
  /** Stops polling and waits for a delivery round in progress. */
  stop(): Promise<void>;
  /** Runs a round soon (after a commit that enqueued an update). */
  nudge(): void;
  /** One delivery round; resolves with the number of profile updates delivered. */
  runOnce(): Promise<number>;
}

/**
 * Delivers the profile outbox to the platform. Per binding it sends only the newest pending
 * profile (a profile is a full state, so older pending ones are superseded by it): versions reach
 * the platform strictly in increasing order, and after any outage the wallet converges on the
 * latest balance. Failures back off exponentially; everything lives in the database, so a restart
 * resumes where the last process stopped. Several instances may share one database: each round
 * claims its rows with a lease (`claimDueRows`), so an update is sent by one instance at a time.
 */
export function createOutboxWorker(ctx: MerchantContext, log: FastifyBaseLogger): OutboxWorker {
  const { pollMs } = ctx.config.sync;
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;

  const round = async (): Promise<number> => {
    const due = await claimDueRows(ctx, workerId);
    let delivered = 0;
    for (let i = 0; i < due.length; i += PARALLEL_BINDINGS) {
      const results = await Promise.all(
        due.slice(i, i + PARALLEL_BINDINGS).map((row) => deliver(ctx, log, row)),
      );
      delivered += results.filter(Boolean).length;
    }
    return delivered;
  };

  const runOnce = async (): Promise<number> => {
    if (running) {
      // A round is in flight: it runs once more before it resolves, covering this call too.
      again = true;
      return running;
    }
    let total = 0;
    running = (async () => {
      do {
        again = false;
        total += await round().catch((err) => {
          log.error({ err }, 'outbox round failed');
          return 0;
        });
      } while (again);
      return total;
    })();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  const schedule = () => {
    if (stopped || pollMs <= 0) return;
    timer = setTimeout(() => void runOnce().finally(schedule), pollMs);
    timer.unref();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
      void runOnce();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    nudge() {
      if (!stopped) setImmediate(() => void runOnce());
    },
    runOnce,
  };
}

/**
 * Claims, for every binding with pending updates and no update held by a worker, its newest
 * pending row when its next attempt is due — in one atomic UPDATE … RETURNING, so that with
 * several merchant instances on one database each row goes to one worker at a time. On
 * PostgreSQL the candidates are locked `FOR UPDATE SKIP LOCKED` (two instances claiming at once
 * take different rows instead of waiting for each other); SQLite runs one write at a time. A
 * lease that ran out (its worker died: `sync.leaseMs` later) is claimable again.
 */
export async function claimDueRows(
  ctx: MerchantContext,
  workerId: string,
  limit = 500,
): Promise<OutboxRow[]> {
  const now = ctx.now();
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + ctx.config.sync.leaseMs).toISOString();
  const newest = ctx.db
    .selectFrom('profile_outbox')
    .select((eb) => ['binding_id', eb.fn.max('version').as('version')])
    .where('state', '=', 'pending')
    .groupBy('binding_id');
  let candidates = ctx.db
    .selectFrom('profile_outbox as o')
    .innerJoin(newest.as('n'), (j) =>
      j.onRef('n.binding_id', '=', 'o.binding_id').onRef('n.version', '=', 'o.version'),
    )
    .select('o.id')
    .where('o.state', '=', 'pending')
    .where('o.next_attempt_at', '<=', nowIso)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('profile_outbox as held')
            .select('held.id')
            .whereRef('held.binding_id', '=', 'o.binding_id')
            .where('held.state', '=', 'pending')
            .where('held.lease_until', '>', nowIso),
        ),
      ),
    )
    .orderBy('o.id')
    .limit(limit);
  const claim = (db: typeof ctx.db) =>
    db
      .updateTable('profile_outbox')
      .set({ lease_until: until, leased_by: workerId })
      .where('id', 'in', candidates)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowIso)]))
      .returningAll()
      .execute();
  let claimed: OutboxRow[];
  if (isSqlite(ctx.db)) {
    claimed = await claim(ctx.db);
  } else {
    // Claims run one at a time across instances: without this, two claims started together each
    // see the other's lease uncommitted, and one could take version 35 of a card while the other
    // takes its version 33 (both sent at once, out of order). A transaction-scoped advisory lock
    // makes the second claim start after the first committed, so it sees the first one's leases.
    candidates = candidates.forUpdate(['o']).skipLocked();
    claimed = await ctx.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${OUTBOX_CLAIM_LOCK})`.execute(trx);
      return claim(trx);
    });
  }
  return claimed.sort((a, b) => Number(a.id) - Number(b.id));
}

async function deliver(ctx: MerchantContext, log: FastifyBaseLogger, row: OutboxRow): Promise<boolean> {
  // Level: cleared when the member is below every tier (only where tiers are configured; without
  // tiers the merchant leaves the card's level alone). Expiry: the soonest lot, or cleared.
  const profile: CardProfileUpdate = {
    points: row.points,
    version: row.version,
    pointsExpireAt: row.points_expire_at,
    expiringPoints: row.expiring_points,
  };
  if (row.level !== null) profile.level = row.level;
  else if (ctx.config.tiers.levels.length > 0) profile.level = null;
  try {
    await ctx.platform.updateProfile(row.binding_id, profile);
    await settle(ctx, row, 'delivered', null);
    log.debug({ bindingId: row.binding_id, version: row.version }, 'card profile delivered');
    return true;
  } catch (err) {
    const action = classifyFailure(err);
    const reason = describe(err);
    const now = ctx.now();
    const age = now.getTime() - Date.parse(row.created_at);
    if (action === 'stale') {
      await settle(ctx, row, 'delivered', reason);
      return false;
    }
    const linkAge = action === 'state' ? await linkAgeMs(ctx, row.binding_id, now) : 0;
    if (
      action === 'permanent' ||
      age > ctx.config.sync.giveUpAfter * 1000 ||
      linkAge > STATE_RETRY_WINDOW_MS
    ) {
      await settle(ctx, row, 'dead', reason);
      log.warn({ bindingId: row.binding_id, version: row.version, reason }, 'card profile update given up');
      return false;
    }
    const attempts = row.attempts + 1;
    const next = new Date(
      now.getTime() + backoffMs(attempts, ctx.config.sync.baseDelayMs, ctx.config.sync.maxDelayMs),
    );
    await ctx.db
      .updateTable('profile_outbox')
      .set({ attempts, next_attempt_at: next.toISOString(), last_error: reason, lease_until: null })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .execute();
    log.info(
      { bindingId: row.binding_id, version: row.version, attempts, reason },
      'card profile update will retry',
    );
    return false;
  }
}

/** Marks `row` and every older pending row of its binding as settled (they are superseded by it). */
async function settle(
  ctx: MerchantContext,
  row: OutboxRow,
  state: 'delivered' | 'dead',
  reason: string | null,
) {
  const now = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('profile_outbox')
      .set({
        state,
        delivered_at: state === 'delivered' ? now : null,
        last_error: reason,
        lease_until: null,
      })
      .where('id', '=', row.id)
      .execute();
    await trx
      .updateTable('profile_outbox')
      .set({ state: 'superseded' })
      .where('binding_id', '=', row.binding_id)
      .where('state', '=', 'pending')
      .where('version', '<', row.version)
      .execute();
  });
}

async function linkAgeMs(ctx: MerchantContext, bindingId: string, now: Date): Promise<number> {
  const link = await ctx.db
    .selectFrom('wallet_links')
    .select(['created_at', 'state'])
    .where('binding_id', '=', bindingId)
    .executeTakeFirst();
  if (!link || link.state === 'unbound' || link.state === 'failed') return Number.POSITIVE_INFINITY;
  return now.getTime() - Date.parse(link.created_at);
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { returnCode?: string; code?: string; message?: string };
    return [e.returnCode, e.code, e.message].filter(Boolean).join(' ').slice(0, 300);
  }
  return String(err).slice(0, 300);
}
