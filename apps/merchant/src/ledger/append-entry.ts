import type { Kysely, Transaction } from 'kysely';
import type { MerchantContext } from '../context.js';
import { isSqlite, isUniqueViolation } from '../db/dialect.js';
import type { Database, LedgerEntry, NewLedgerEntry } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import { enqueueProfileUpdate } from '../sync/enqueue-profile-update.js';
import { applyEntryEffects } from './entry-effects.js';

/** The largest balance (and lifetime total) a member may hold: PostgreSQL `integer`. */
export const MAX_BALANCE = 2_147_483_647;

export interface LockedBalance {
  memberId: number;
  points: number;
  lifetimePoints: number;
}

/** What a flow decides once the member's balance is locked: the entry to append. */
export type EntryDraft = Omit<
  NewLedgerEntry,
  'id' | 'member_id' | 'balance_after' | 'idempotency_key' | 'fingerprint' | 'created_at'
>;

export interface AppendRequest {
  memberId: number;
  idempotencyKey: string;
  fingerprint: string;
  /** Checks against the locked balance and returns the entry; throws a MerchantError to refuse. */
  decide: (balance: LockedBalance, trx: Transaction<Database>) => Promise<EntryDraft>;
  /** Runs in the transaction once the entry is inserted (a flow's own rows that name the entry). */
  afterInsert?: (entry: LedgerEntry, trx: Transaction<Database>) => Promise<void>;
}

export interface AppendResult {
  entry: LedgerEntry;
  /** True when an earlier identical request's entry is returned instead of a new one. */
  replayed: boolean;
}

/**
 * Appends one ledger entry in one transaction with its balance update and the wallet-profile
 * outbox rows. The member's balance row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite
 * runs one writer at a time), so concurrent changes of one member serialize and entry ids grow in
 * commit order per member — which makes the entry id a valid profile `version`.
 *
 * Idempotency: the key is unique in the database. The same key with the same fingerprint returns
 * the original entry; with another fingerprint it is `idempotency_conflict` (409).
 */
export async function appendEntry(ctx: MerchantContext, request: AppendRequest): Promise<AppendResult> {
  const earlier = await findReplay(ctx.db, request.idempotencyKey, request.fingerprint);
  if (earlier) return { entry: earlier, replayed: true };
  let entry: LedgerEntry;
  try {
    entry = await ctx.db.transaction().execute((trx) => appendLocked(ctx, trx, request));
  } catch (err) {
    if (err instanceof ReplayFound) return { entry: err.entry, replayed: true };
    // Two requests with one key for different members: the unique index decides the loser.
    if (!isUniqueViolation(err)) throw err;
    const winner = await findReplay(ctx.db, request.idempotencyKey, request.fingerprint);
    if (!winner) throw err;
    return { entry: winner, replayed: true };
  }
  ctx.nudgeSync();
  return { entry, replayed: false };
}

class ReplayFound extends Error {
  constructor(readonly entry: LedgerEntry) {
    super('replay');
  }
}

async function appendLocked(
  ctx: MerchantContext,
  trx: Transaction<Database>,
  request: AppendRequest,
): Promise<LedgerEntry> {
  const balance = await trx
    .selectFrom('balances')
    .select(['member_id', 'points', 'lifetime_points'])
    .where('member_id', '=', request.memberId)
    .$if(!isSqlite(trx), (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
  // Re-checked under the lock: a concurrent identical request of this member has committed by now.
  const earlier = await findReplay(trx, request.idempotencyKey, request.fingerprint);
  if (earlier) throw new ReplayFound(earlier);

  const draft = await request.decide(
    { memberId: balance.member_id, points: balance.points, lifetimePoints: balance.lifetime_points },
    trx,
  );
  const points = balance.points + draft.points;
  if (points < 0) throw new MerchantError('insufficient_points');
  const lifetime = balance.lifetime_points + (draft.kind === 'redeem' ? 0 : draft.points);
  // The columns are 32-bit on PostgreSQL: refuse cleanly instead of failing (or, on SQLite, drifting
  // past what the other database could ever hold).
  if (points > MAX_BALANCE || lifetime > MAX_BALANCE) throw new MerchantError('balance_limit');
  const now = ctx.now().toISOString();
  const entry = await trx
    .insertInto('ledger_entries')
    .values({
      ...draft,
      member_id: request.memberId,
      balance_after: points,
      idempotency_key: request.idempotencyKey,
      fingerprint: request.fingerprint,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('balances')
    .set({ points, lifetime_points: lifetime, version: entry.id, updated_at: now })
    .where('member_id', '=', request.memberId)
    .execute();
  await request.afterInsert?.(entry, trx);
  const effects = await applyEntryEffects(ctx, trx, entry);
  if (draft.points !== 0 || effects.tier.changed) {
    await enqueueProfileUpdate(trx, {
      memberId: request.memberId,
      version: entry.id,
      points,
      level: effects.tier.tier,
      pointsExpireAt: effects.pointsExpireAt,
      expiringPoints: effects.expiringPoints,
      now,
    });
  }
  return entry;
}

/** The entry of an earlier identical request, undefined when the key is new; 409 on a mismatch. */
export async function findReplay(
  db: Kysely<Database>,
  idempotencyKey: string,
  fingerprint: string,
): Promise<LedgerEntry | undefined> {
  const entry = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (entry && entry.fingerprint !== fingerprint) throw new MerchantError('idempotency_conflict');
  return entry;
}
