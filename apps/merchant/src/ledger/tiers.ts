import { sql, type Transaction } from 'kysely';
import type { Tier } from '../config.js';
import type { Database } from '../db/schema.js';
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
  trx: Transaction<Database>,
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
 * In an entry's transaction (the member is locked): recomputes the member's tier from the rolling
 * qualifying spend as of `now` and stores it.
 */
export async function recomputeTier(
  trx: Transaction<Database>,
  memberId: number,
  now: Date,
  config: { windowMonths: number; levels: readonly Tier[] },
): Promise<TierChange> {
  const spend = await qualifyingSpend(trx, memberId, windowStart(now, config.windowMonths));
  const tier = tierFor(spend, config.levels);
  const stored = await trx
    .selectFrom('member_tiers')
    .select(['tier', 'spend'])
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  const previous = stored?.tier ?? undefined;
  const at = now.toISOString();
  if (!stored) {
    await trx
      .insertInto('member_tiers')
      .values({ member_id: memberId, tier: tier ?? null, spend, updated_at: at })
      .execute();
  } else if (stored.tier !== (tier ?? null) || stored.spend !== spend) {
    await trx
      .updateTable('member_tiers')
      .set({ tier: tier ?? null, spend, updated_at: at })
      .where('member_id', '=', memberId)
      .execute();
  }
  return { tier, previous, spend, changed: previous !== tier };
}
