import { type Kysely, sql, type Transaction } from 'kysely';
import type { Tier } from '../config.js';
import { compiledOnce, slot } from '../db/compiled-query.js';
import type { Database, LedgerEntry } from '../db/schema.js';
import { addMonths } from './lots.js';

/**
 * The highest tier whose threshold the qualifying spend reaches, or undefined (below every tier,
 * or no tiers configured).
 *
 * @example
 * ```ts
 * tierFor(12_000, [{ name: 'Member', minSpend: 0 }, { name: 'Silver', minSpend: 10_000 }]); // 'Silver'
 * ```
 */
export function tierFor(spend: number, tiers: readonly Tier[]): string | undefined {
  let name: string | undefined;
  for (const tier of tiers) if (spend >= tier.minSpend) name = tier.name;
  return name;
}

/** Where the rolling window of qualifying spend starts: `windowMonths` calendar months before `now`. */
export function windowStart(now: Date, windowMonths: number): string {
  return addMonths(now, -windowMonths).toISOString();
}

/**
 * Qualifying spend: the amounts of the member's purchases made at or after `since`, minus what was
 * refunded of those purchases (a refund counts against its own sale, whenever it happened).
 */
export async function qualifyingSpend(
  trx: Kysely<Database>,
  memberId: number,
  since: string,
): Promise<number> {
  const row = await trx
    .selectFrom('ledger_entries as e')
    .leftJoin('ledger_entries as a', 'a.id', 'e.reverses_entry_id')
    .select(
      sql<number>`coalesce(sum(case when e.kind = 'accrue' then e.amount else -e.amount end), 0)`.as('spend'),
    )
    .where('e.member_id', '=', memberId)
    .where((eb) =>
      eb.or([
        eb.and([eb('e.kind', '=', 'accrue'), eb('e.created_at', '>=', since)]),
        eb.and([eb('e.kind', '=', 'reverse'), eb('a.created_at', '>=', since)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Math.max(0, Number(row.spend));
}

export interface TierChange {
  tier: string | undefined;
  previous: string | undefined;
  spend: number;
  changed: boolean;
}

/**
 * The member's rolling window as the balance row keeps it (migration 0006): `spend` is the spend of
 * the sales made at or after `since` (net of their refunds, not clamped), `nextOut` the earliest of
 * those sales, `tier` the tier `member_tiers` holds. `since` null: not known (computed from the
 * entries).
 */
export interface TierWindow {
  tier: string | null;
  since: string | null;
  spend: number | null;
  nextOut: string | null;
}

export const UNKNOWN_WINDOW: TierWindow = { tier: null, since: null, spend: null, nextOut: null };

/** The window's spend and earliest sale from the entries (as {@link qualifyingSpend}, not clamped). */
async function windowFromEntries(
  trx: Transaction<Database>,
  memberId: number,
  since: string,
): Promise<{ spend: number; nextOut: string | null }> {
  const row = await sql<{ spend: number | null; next_out: string | null }>`
    select
      (select coalesce(sum(case when e.kind = 'accrue' then e.amount else -e.amount end), 0)
         from ledger_entries e left join ledger_entries a on a.id = e.reverses_entry_id
        where e.member_id = ${memberId}
          and ((e.kind = 'accrue' and e.created_at >= ${since})
            or (e.kind = 'reverse' and a.created_at >= ${since}))) as spend,
      (select min(s.created_at) from ledger_entries s
        where s.member_id = ${memberId} and s.kind = 'accrue' and s.created_at >= ${since}) as next_out
  `.execute(trx);
  const r = row.rows[0];
  return { spend: Number(r?.spend ?? 0), nextOut: r?.next_out ?? null };
}

/**
 * The sales of the member made in [from, to) — the ones that left the window — net of their
 * refunds, and the earliest sale from `to` on (the next to leave).
 */
async function salesLeaving(
  trx: Transaction<Database>,
  memberId: number,
  from: string,
  to: string,
): Promise<{ spend: number; nextOut: string | null }> {
  const row = await sql<{ sold: number | null; refunded: number | null; next_out: string | null }>`
    select
      (select coalesce(sum(s.amount), 0) from ledger_entries s
        where s.member_id = ${memberId} and s.kind = 'accrue'
          and s.created_at >= ${from} and s.created_at < ${to}) as sold,
      (select coalesce(sum(r.amount), 0) from ledger_entries s
         join ledger_entries r on r.reverses_entry_id = s.id and r.kind = 'reverse'
        where s.member_id = ${memberId} and s.kind = 'accrue'
          and s.created_at >= ${from} and s.created_at < ${to}) as refunded,
      (select min(s.created_at) from ledger_entries s
        where s.member_id = ${memberId} and s.kind = 'accrue' and s.created_at >= ${to}) as next_out
  `.execute(trx);
  const r = row.rows[0];
  return { spend: Number(r?.sold ?? 0) - Number(r?.refunded ?? 0), nextOut: r?.next_out ?? null };
}

/**
 * A sale on a kept window: the window's spend with the sale in, and whether sales left the window
 * since it was kept (`leaving`: they must be read back). Undefined when the window is not kept or
 * the entry is not a sale (computed from the entries instead).
 */
export function saleOnKeptWindow(
  entry: Pick<LedgerEntry, 'kind' | 'amount' | 'created_at'>,
  since: string,
  known: TierWindow,
): { raw: number; nextOut: string | null; leaving: boolean } | undefined {
  if (entry.kind !== 'accrue' || known.since === null || known.spend === null || since < known.since) {
    return undefined;
  }
  let raw = known.spend;
  let nextOut = known.nextOut;
  if (entry.created_at >= known.since) {
    raw += entry.amount ?? 0;
    if (nextOut === null || entry.created_at < nextOut) nextOut = entry.created_at;
  }
  return { raw, nextOut, leaving: nextOut !== null && nextOut < since };
}

const upsertTier = compiledOnce<unknown, [number, string | null, number, string]>((db) =>
  db
    .insertInto('member_tiers')
    .values({ member_id: slot(0), tier: slot(1), spend: slot(2), updated_at: slot(3) })
    .onConflict((oc) =>
      oc.column('member_id').doUpdateSet({ tier: slot(1), spend: slot(2), updated_at: slot(3) }),
    ),
);

/**
 * In an entry's transaction, once the entry is inserted (the member is locked): the member's tier
 * from the rolling qualifying spend as of `now`, stored in `member_tiers` when it changed. `known` is
 * the window the balance row kept: a sale adds its amount to it and only the sales that left the
 * window since are read back; other entries (refunds, redemptions, expiries — rare) and an unknown
 * window compute it from the entries. Returns the window to keep.
 */
export async function recomputeTier(
  trx: Transaction<Database>,
  entry: Pick<LedgerEntry, 'member_id' | 'kind' | 'amount' | 'created_at'>,
  now: Date,
  config: { windowMonths: number; levels: readonly Tier[] },
  known: TierWindow = UNKNOWN_WINDOW,
): Promise<TierChange & { window: TierWindow }> {
  const memberId = entry.member_id;
  const since = windowStart(now, config.windowMonths);
  let raw: number;
  let nextOut: string | null;
  let stored: { tier: string | null; spend: number } | undefined;
  const step = saleOnKeptWindow(entry, since, known);
  if (step) {
    raw = step.raw;
    nextOut = step.nextOut;
    if (step.leaving && known.since !== null) {
      const left = await salesLeaving(trx, memberId, known.since, since);
      raw -= left.spend;
      nextOut = left.nextOut;
    }
    // member_tiers mirrors the kept window (both are written together below).
    stored = { tier: known.tier, spend: Math.max(0, known.spend ?? 0) };
  } else {
    ({ spend: raw, nextOut } = await windowFromEntries(trx, memberId, since));
    stored = await trx
      .selectFrom('member_tiers')
      .select(['tier', 'spend'])
      .where('member_id', '=', memberId)
      .executeTakeFirst();
  }
  const spend = Math.max(0, raw);
  const tier = tierFor(spend, config.levels);
  const previous = stored?.tier ?? undefined;
  if (!stored || stored.tier !== (tier ?? null) || stored.spend !== spend) {
    await trx.executeQuery(upsertTier(trx, [memberId, tier ?? null, spend, now.toISOString()]));
  }
  return {
    tier,
    previous,
    spend,
    changed: previous !== tier,
    window: { tier: tier ?? null, since, spend: raw, nextOut },
  };
}
