import type { Kysely, Transaction } from 'kysely';
import type { MerchantContext } from '../context.js';
import { isSqlite, isUniqueViolation } from '../db/dialect.js';
import type { Database, LedgerEntry, NewLedgerEntry } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import type { Store } from '../stores/stores.js';
import { enqueueProfileUpdate } from '../sync/enqueue-profile-update.js';
import { applyEntryEffects } from './entry-effects.js';
import { resolveOnPlatform } from './resolve-member.js';
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
      outcome = await ctx.ledger.run((trx) => appendLocked(ctx, trx, request, lookup, hasKey));
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

/** How the transaction finds the member: by id, or by membership codes in the order they were read. */
type Lookup = { id: number; source: MemberSource } | { codes: string[]; source: MemberSource };

async function appendLocked(
  ctx: MerchantContext,
  trx: Transaction<Database>,
  request: AppendRequest,
  lookup: Lookup,
  platformMayResolve: boolean,
): Promise<AppendResult | 'resolve_on_platform'> {
  const locked = await lockMember(trx, lookup);
  // Checked under the member's lock, in the entry's own transaction: a concurrent identical
  // request of this member has committed by now (and before a one-time key is sent to the platform).
  const earlier = await findReplay(trx, request.idempotencyKey, request.fingerprint);
  if (earlier) return { ...earlier, replayed: true };
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
  const entry = await trx
    .insertInto('ledger_entries')
    .values({
      ...draft,
      member_id: member.id,
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
    .where('member_id', '=', member.id)
    .execute();
  await request.afterInsert?.(entry, trx);
  const effects = await applyEntryEffects(ctx, trx, entry);
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

/** The member and its balance row in one query, locked (PostgreSQL: FOR UPDATE of the balance). */
async function lockMember(
  trx: Transaction<Database>,
  lookup: Lookup,
): Promise<{ member: EntryMember; balance: { points: number; lifetime_points: number } } | undefined> {
  if ('codes' in lookup && lookup.codes.length === 0) return undefined;
  const rows = await trx
    .selectFrom('members as m')
    .innerJoin('balances as b', 'b.member_id', 'm.id')
    .select(['m.id', 'm.membership_code', 'm.display_name', 'b.points', 'b.lifetime_points'])
    .where((eb) =>
      'id' in lookup ? eb('m.id', '=', lookup.id) : eb('m.membership_code', 'in', lookup.codes),
    )
    .$if(!isSqlite(trx), (q) => q.forUpdate('b'))
    .execute();
  const row =
    'id' in lookup
      ? rows[0]
      : lookup.codes.map((code) => rows.find((r) => r.membership_code === code)).find((r) => r !== undefined);
  if (!row) return undefined;
  return {
    member: { id: row.id, membership_code: row.membership_code, display_name: row.display_name },
    balance: { points: row.points, lifetime_points: row.lifetime_points },
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
