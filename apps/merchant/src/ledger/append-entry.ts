import type { Kysely, Transaction } from 'kysely';
import type { MerchantContext } from '../context.js';
import { compiledOnce, slot } from '../db/compiled-query.js';
import { isSqlite, isUniqueViolation } from '../db/dialect.js';
import type { Database, LedgerEntry, NewLedgerEntry } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import { operatorSessionExpiry } from '../sessions/session-store.js';
import type { Store } from '../stores/stores.js';
import { enqueueProfileUpdate } from '../sync/enqueue-profile-update.js';
import { applyEntryEffects, type KeptAggregates } from './entry-effects.js';
import { resolveOnPlatform } from './resolve-member.js';
import { type SaleWrite, writeKeptSale } from './sale-statement.js';
import type { ScannedCode } from './scanned-code.js';

/** The largest balance (and lifetime total) a member may hold: PostgreSQL `integer`. */
export const MAX_BALANCE = 2_147_483_647;

export interface LockedBalance {
  memberId: number;
  points: number;
  lifetimePoints: number;
}

/** How the member of an entry was identified. */
export type MemberSource = LedgerEntry['source'];

/** What a flow decides once the member's balance is locked: the entry to append. */
export type EntryDraft = Omit<
  NewLedgerEntry,
  'id' | 'member_id' | 'balance_after' | 'idempotency_key' | 'fingerprint' | 'created_at'
>;

/** The member an entry is for: known by id, or found from what the till scanned. */
export type MemberTarget =
  | { id: number; source: MemberSource }
  /** `store`: the till's store at a group's shop, whose channel resolves a My Code (PROTOCOL.md §8). */
  | { readings: ScannedCode[]; store?: Store };

export interface AppendRequest {
  member: MemberTarget;
  idempotencyKey: string;
  fingerprint: string;
  /**
   * An operator session (cookie hash) that must still be live in the entry's transaction: refused
   * with `unauthorized` (nothing stored, no replay answered) when it has ended meanwhile.
   */
  session?: string;
  /**
   * A sale's entry when the member is found by membership code (nothing in it depends on the
   * balance): on PostgreSQL it may then be written without a lock (see `saleWithoutLock`).
   */
  sale?: EntryDraft;
  /** Checks against the locked balance and returns the entry; throws a MerchantError to refuse. */
  decide: (balance: LockedBalance, trx: Transaction<Database>, source: MemberSource) => Promise<EntryDraft>;
  /** Runs in the transaction once the entry is inserted (a flow's own rows that name the entry). */
  afterInsert?: (entry: LedgerEntry, trx: Transaction<Database>) => Promise<void>;
}

/** The member fields an entry's result shows. */
export interface EntryMember {
  id: number;
  membership_code: string;
  display_name: string;
}

export interface AppendResult {
  entry: LedgerEntry;
  member: EntryMember;
  /** True when an earlier identical request's entry is returned instead of a new one. */
  replayed: boolean;
  /** True when a wallet profile update was enqueued (the member has a card). */
  enqueued?: boolean;
}

/**
 * Appends one ledger entry in one transaction — the idempotency check, the member, the balance
 * lock, the entry, the balance and the wallet-profile outbox rows — committed through
 * `ctx.ledger` (a group commit on SQLite). The member's balance row is locked first (SELECT … FOR
 * UPDATE on PostgreSQL; SQLite runs one writer at a time), so concurrent changes of one member
 * serialize and entry ids grow in commit order per member — which makes the entry id a valid
 * profile `version`.
 *
 * A scanned wallet one-time key is resolved through the platform (which burns it) only when no
 * membership code matched and the key's operation is new: the first transaction answers a replay
 * or a membership code; the platform call happens outside any transaction; a second transaction
 * appends for the member it named.
 *
 * Idempotency: the key is unique in the database. The same key with the same fingerprint returns
 * the original entry; with another fingerprint it is `idempotency_conflict` (409).
 */
export async function appendEntry(ctx: MerchantContext, request: AppendRequest): Promise<AppendResult> {
  const target = request.member;
  let outcome: AppendResult | 'resolve_on_platform';
  try {
    if ('id' in target) {
      outcome = await ctx.ledger.run((trx) => appendLocked(ctx, trx, request, target, false));
    } else {
      const codes = target.readings.filter((r) => r.kind === 'membership_code').map((r) => r.code);
      const hasKey = target.readings.some((r) => r.kind === 'one_time_key');
      const lookup = { codes, source: 'membership_code' as const };
      const quick =
        request.sale && !isSqlite(ctx.db) ? await saleWithoutLock(ctx, request, lookup) : undefined;
      outcome = quick ?? (await ctx.ledger.run((trx) => appendLocked(ctx, trx, request, lookup, hasKey)));
      if (outcome === 'resolve_on_platform') {
        const code = await resolveOnPlatform(ctx, target.readings, target.store);
        const byKey = { codes: [code], source: 'one_time_key' as const };
        outcome = await ctx.ledger.run((trx) => appendLocked(ctx, trx, request, byKey, false));
      }
    }
  } catch (err) {
    // Two requests with one key for different members: the unique index decides the loser.
    if (!isUniqueViolation(err)) throw err;
    const winner = await findReplay(ctx.db, request.idempotencyKey, request.fingerprint);
    if (!winner) throw err;
    return { ...winner, replayed: true };
  }
  if (outcome === 'resolve_on_platform') throw new MerchantError('unknown_code');
  if (outcome.enqueued) ctx.nudgeSync();
  return outcome;
}

/**
 * PostgreSQL, a sale by membership code: two statements and no transaction around them — the member,
 * its balance (version) and the checks read without a lock, then every write in one statement that
 * applies only if the balance row still has that version (a compare-and-set under the row's lock,
 * the entry id drawn by it). Undefined whenever anything is not plain (no member, a replay, a
 * session to refuse, a limit, aggregates not kept, a tier message, or the balance changed
 * meanwhile): then the locked path decides, as before.
 */
async function saleWithoutLock(
  ctx: MerchantContext,
  request: AppendRequest,
  lookup: { codes: string[]; source: MemberSource },
): Promise<AppendResult | undefined> {
  const draft = request.sale;
  if (!draft || lookup.codes.length === 0) return undefined;
  const read = await lockMember(ctx.db, lookup, request.idempotencyKey, request.session ?? null, false);
  if (!read) return undefined;
  const now = ctx.now().toISOString();
  if (request.session !== undefined && (read.sessionEnds === null || read.sessionEnds <= now)) {
    return undefined;
  }
  if (read.replayed) {
    // A committed entry holds the key: its answer (or 409), no lock needed.
    const earlier = await findReplay(ctx.db, request.idempotencyKey, request.fingerprint);
    return earlier ? { ...earlier, replayed: true } : undefined;
  }
  const points = read.balance.points + draft.points;
  const lifetime = read.balance.lifetime_points + draft.points;
  if (points < 0 || points > MAX_BALANCE || lifetime > MAX_BALANCE) return undefined;
  const written = await writeKeptSale(
    ctx,
    ctx.db,
    saleWrite(read.member.id, draft, request, { balanceAfter: points, lifetime, now }),
    read.kept,
    read.version,
  );
  if (!written) return undefined;
  ctx.ledger.autocommitted();
  return { entry: written.entry, member: read.member, replayed: false, enqueued: written.enqueued };
}

/** How the transaction finds the member: by id, or by membership codes in the order they were read. */
type Lookup = { id: number; source: MemberSource } | { codes: string[]; source: MemberSource };

async function appendLocked(
  ctx: MerchantContext,
  trx: Transaction<Database>,
  request: AppendRequest,
  lookup: Lookup,
  platformMayResolve: boolean,
): Promise<AppendResult | 'resolve_on_platform'> {
  const locked = await lockMember(trx, lookup, request.idempotencyKey, request.session ?? null);
  if (request.session !== undefined) {
    const ends = locked ? locked.sessionEnds : await operatorSessionExpiry(trx, request.session);
    if (ends === null || ends <= ctx.now().toISOString()) throw new MerchantError('unauthorized');
  }
  // Checked under the member's lock, in the entry's own transaction: a concurrent identical
  // request of this member has committed by now (and before a one-time key is sent to the platform).
  // The lock's own query says whether the key is taken (on PostgreSQL as of its snapshot: a key
  // taken while it waited for the lock makes the insert below fail, which appendEntry answers).
  if (locked === undefined || locked.replayed) {
    const earlier = await findReplay(trx, request.idempotencyKey, request.fingerprint);
    if (earlier) return { ...earlier, replayed: true };
  }
  if (locked === undefined) {
    if (platformMayResolve) return 'resolve_on_platform';
    throw new MerchantError('unknown_code');
  }
  const { member, balance } = locked;
  const draft = await request.decide(
    { memberId: member.id, points: balance.points, lifetimePoints: balance.lifetime_points },
    trx,
    lookup.source,
  );
  const points = balance.points + draft.points;
  if (points < 0) throw new MerchantError('insufficient_points');
  const lifetime = balance.lifetime_points + (draft.kind === 'redeem' ? 0 : draft.points);
  // The columns are 32-bit on PostgreSQL: refuse cleanly instead of failing (or, on SQLite, drifting
  // past what the other database could ever hold).
  if (points > MAX_BALANCE || lifetime > MAX_BALANCE) throw new MerchantError('balance_limit');
  const now = ctx.now().toISOString();
  if (draft.kind === 'accrue' && !request.afterInsert && !isSqlite(trx)) {
    // PostgreSQL: a sale whose effects the kept aggregates answer is one statement (one round trip).
    const written = await writeKeptSale(
      ctx,
      trx,
      saleWrite(member.id, draft, request, { balanceAfter: points, lifetime, now }),
      locked.kept,
    );
    if (written) return { entry: written.entry, member, replayed: false, enqueued: written.enqueued };
  }
  const result = await trx.executeQuery(
    insertEntry(trx, [
      member.id,
      draft.kind,
      draft.points,
      draft.amount ?? null,
      draft.currency ?? null,
      draft.order_id,
      request.idempotencyKey,
      request.fingerprint,
      draft.reverses_entry_id ?? null,
      points,
      draft.source,
      draft.operator_id ?? null,
      now,
      draft.store_id ?? null,
    ]),
  );
  const entry = result.rows[0];
  if (!entry) throw new Error('ledger entry insert returned no row');
  await request.afterInsert?.(entry, trx);
  const effects = await applyEntryEffects(ctx, trx, entry, locked.kept);
  const { expiry, window } = effects.kept;
  await trx.executeQuery(
    updateBalance(trx, [
      points,
      lifetime,
      entry.id,
      now,
      expiry?.pointsExpireAt ?? null,
      expiry ? (expiry.expiringPoints ?? 0) : null,
      window.tier,
      window.since,
      window.spend,
      window.nextOut,
      member.id,
    ]),
  );
  let enqueued = false;
  if (draft.points !== 0 || effects.tier.changed) {
    enqueued = await enqueueProfileUpdate(trx, {
      memberId: member.id,
      version: entry.id,
      points,
      level: effects.tier.tier,
      pointsExpireAt: effects.pointsExpireAt,
      expiringPoints: effects.expiringPoints,
      now,
    });
  }
  return { entry, member, replayed: false, enqueued };
}

const insertEntry = compiledOnce<
  LedgerEntry,
  [
    number,
    LedgerEntry['kind'],
    number,
    number | null,
    string | null,
    string,
    string,
    string,
    number | null,
    number,
    MemberSource,
    number | null,
    string,
    string | null,
  ]
>((db) =>
  db
    .insertInto('ledger_entries')
    .values({
      member_id: slot(0),
      kind: slot(1),
      points: slot(2),
      amount: slot(3),
      currency: slot(4),
      order_id: slot(5),
      idempotency_key: slot(6),
      fingerprint: slot(7),
      reverses_entry_id: slot(8),
      balance_after: slot(9),
      source: slot(10),
      operator_id: slot(11),
      created_at: slot(12),
      store_id: slot(13),
    })
    .returningAll(),
);

const updateBalance = compiledOnce<
  unknown,
  [
    number,
    number,
    number,
    string,
    string | null,
    number | null,
    string | null,
    string | null,
    number | null,
    string | null,
    number,
  ]
>((db) =>
  db
    .updateTable('balances')
    .set({
      points: slot(0),
      lifetime_points: slot(1),
      version: slot(2),
      updated_at: slot(3),
      expiry_at: slot(4),
      expiry_points: slot(5),
      tier: slot(6),
      tier_since: slot(7),
      tier_spend: slot(8),
      tier_next_out: slot(9),
    })
    .where('member_id', '=', slot<number>(10)),
);

const NO_LOCK = 1000;

/**
 * The member and its balance row (with the aggregates it keeps) in one query, locked (PostgreSQL:
 * FOR UPDATE of the balance), and whether an entry holds the idempotency key. Variant: how many
 * membership codes (0: by id).
 */
const lockQuery = compiledOnce<
  {
    id: number;
    membership_code: string;
    display_name: string;
    points: number;
    lifetime_points: number;
    version: number;
    expiry_at: string | null;
    expiry_points: number | null;
    tier: string | null;
    tier_since: string | null;
    tier_spend: number | null;
    tier_next_out: string | null;
    replay_id: number | null;
    session_ends: string | null;
  },
  unknown[]
>((db, variant) => {
  // Variant: the number of codes, plus NO_LOCK for a read without FOR UPDATE.
  const codes = variant % NO_LOCK;
  return db
    .selectFrom('members as m')
    .innerJoin('balances as b', 'b.member_id', 'm.id')
    .select([
      'm.id',
      'm.membership_code',
      'm.display_name',
      'b.points',
      'b.lifetime_points',
      'b.version',
      'b.expiry_at',
      'b.expiry_points',
      'b.tier',
      'b.tier_since',
      'b.tier_spend',
      'b.tier_next_out',
    ])
    .select((eb) => [
      eb
        .selectFrom('ledger_entries as e')
        .select('e.id')
        .where('e.idempotency_key', '=', slot<string>(0))
        .as('replay_id'),
      eb
        .selectFrom('sessions as s')
        .select('s.expires_at')
        .where('s.id_hash', '=', slot<string>(1))
        .where('s.kind', '=', 'operator')
        .as('session_ends'),
    ])
    .where((eb) =>
      codes === 0
        ? eb('m.id', '=', slot<number>(2))
        : eb(
            'm.membership_code',
            'in',
            Array.from({ length: codes }, (_, i) => slot<string>(i + 2)),
          ),
    )
    .$if(variant < NO_LOCK && !isSqlite(db), (q) => q.forUpdate('b'));
});

/** The member and its balance, locked; with the kept aggregates and whether the key is taken. */
async function lockMember(
  trx: Kysely<Database>,
  lookup: Lookup,
  idempotencyKey: string,
  session: string | null,
  lock = true,
): Promise<
  | {
      member: EntryMember;
      balance: { points: number; lifetime_points: number };
      /** The balance row's version (its latest entry id). */
      version: number;
      kept: KeptAggregates;
      replayed: boolean;
      /** When the operator session asked about ends (null: none, or none asked about). */
      sessionEnds: string | null;
    }
  | undefined
> {
  if ('codes' in lookup && lookup.codes.length === 0) return undefined;
  const { rows } =
    'id' in lookup
      ? await trx.executeQuery(lockQuery(trx, [idempotencyKey, session, lookup.id], lock ? 0 : NO_LOCK))
      : await trx.executeQuery(
          lockQuery(
            trx,
            [idempotencyKey, session, ...lookup.codes],
            lookup.codes.length + (lock ? 0 : NO_LOCK),
          ),
        );
  const row =
    'id' in lookup
      ? rows[0]
      : lookup.codes.map((code) => rows.find((r) => r.membership_code === code)).find((r) => r !== undefined);
  if (!row) return undefined;
  return {
    member: { id: row.id, membership_code: row.membership_code, display_name: row.display_name },
    balance: { points: row.points, lifetime_points: row.lifetime_points },
    version: Number(row.version),
    kept: {
      expiry:
        row.expiry_points === null
          ? null
          : row.expiry_at === null
            ? { pointsExpireAt: null, expiringPoints: null }
            : { pointsExpireAt: row.expiry_at, expiringPoints: row.expiry_points },
      window: {
        tier: row.tier,
        since: row.tier_since,
        spend: row.tier_spend === null ? null : Number(row.tier_spend),
        nextOut: row.tier_next_out,
      },
    },
    replayed: row.replay_id !== null,
    sessionEnds: row.session_ends,
  };
}

/**
 * The entry (and its member) of an earlier identical request, undefined when the key is new; 409
 * on a mismatch.
 */
export async function findReplay(
  db: Kysely<Database>,
  idempotencyKey: string,
  fingerprint: string,
): Promise<{ entry: LedgerEntry; member: EntryMember } | undefined> {
  const row = await db
    .selectFrom('ledger_entries as e')
    .innerJoin('members as m', 'm.id', 'e.member_id')
    .selectAll('e')
    .select(['m.membership_code', 'm.display_name'])
    .where('e.idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.fingerprint !== fingerprint) throw new MerchantError('idempotency_conflict');
  const { membership_code, display_name, ...entry } = row;
  return { entry, member: { id: entry.member_id, membership_code, display_name } };
}

/** The one-statement sale's values (`writeKeptSale`) from the entry drafted for `memberId`. */
function saleWrite(
  memberId: number,
  draft: EntryDraft,
  request: AppendRequest,
  after: { balanceAfter: number; lifetime: number; now: string },
): SaleWrite {
  return {
    memberId,
    points: draft.points,
    amount: draft.amount ?? 0,
    currency: draft.currency ?? null,
    orderId: draft.order_id,
    idempotencyKey: request.idempotencyKey,
    fingerprint: request.fingerprint,
    source: draft.source,
    operatorId: draft.operator_id ?? null,
    storeId: draft.store_id ?? null,
    ...after,
  };
}
