import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MerchantContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import type { Store } from '../stores/stores.js';
import type { LedgerResult } from './accrue.js';
import { appendEntry, findReplay } from './append-entry.js';
import { type EntryResult, entryResult } from './entry-result.js';
import { requestFingerprint } from './fingerprint.js';
import { lotLeft } from './lots.js';
import { checkAmount, checkOrderId, pointsForAmount } from './rules.js';

export interface ReverseInput {
  /** The order id of the accrual to reverse. */
  orderId: string;
  /** Refunded amount; omitted = everything not refunded yet (full reversal). */
  amount?: number;
  /** Tells several partial refunds of one order apart (idempotency); default ''. */
  refundId?: string;
}

export interface ReverseResult extends EntryResult {
  order: { amount: number; refundedAmount: number; remainingAmount: number };
  /** The refund's own id ('' for the one id-less refund an order may have). */
  refundId: string;
  /**
   * Points this refund should have taken back but could not: the sale's points were already used
   * (redeemed) or expired. The entry took back only what was left of them; 0 normally.
   */
  pointsNotTakenBack: number;
}

/**
 * Reverse (refund) an accrual fully or partly. The points due back are what the purchase earned
 * minus what the amount left after all refunds so far would earn (by the earning rule, never more
 * than the accrual gave), so a full refund is due exactly the accrued points and partial refunds add
 * up to it. Only what is left of the sale's own lot is taken back: points of it the member already
 * redeemed or that expired are not (the balance never goes negative, and other purchases' points
 * are not touched) — the result says how many (`pointsNotTakenBack`). A refund larger than what is
 * left of the order is `over_reversal`.
 */
export async function reverse(
  ctx: MerchantContext,
  input: ReverseInput,
  operatorId: number | null,
  /** The till's store, at a group's shop (PROTOCOL.md §8): where the refund was made. */
  store?: Store,
): Promise<LedgerResult & { result: ReverseResult }> {
  checkOrderId(input.orderId);
  const refundId = input.refundId ?? '';
  if (refundId !== '') checkOrderId(refundId);
  if (input.amount !== undefined) checkAmount(input.amount, ctx.config.maxAmount);

  // '/' is in neither id's alphabet (':' is in both): order "A:B" + refund "C" and order "A" +
  // refund "B:C" must not share a key.
  const idempotencyKey = `reverse:${input.orderId}/${refundId}`;
  const fingerprint = requestFingerprint({ op: 'reverse', amount: input.amount ?? null, refundId });
  const earlier = await findReplay(ctx.db, idempotencyKey, fingerprint);
  if (earlier) return { result: await reverseResultOf(ctx.db, earlier.entry.id), replayed: true };

  const accrual = await ctx.db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('idempotency_key', '=', `accrue:${input.orderId}`)
    .executeTakeFirst();
  if (!accrual || accrual.amount === null) throw new MerchantError('order_not_found');
  const accrualAmount = accrual.amount;
  let shortfall = 0;

  const { entry, replayed } = await appendEntry(ctx, {
    member: { id: accrual.member_id, source: 'order' },
    idempotencyKey,
    fingerprint,
    decide: async (balance, trx) => {
      const done = await reversedSoFar(trx, accrual.id, Number.MAX_SAFE_INTEGER);
      const remaining = accrualAmount - done.amount;
      const refund = input.amount ?? remaining;
      if (remaining <= 0 || refund > remaining) throw new MerchantError('over_reversal');
      const keep = Math.min(accrual.points, pointsForAmount(remaining - refund, ctx.config.earning));
      const due = Math.max(0, accrual.points - done.points - keep);
      const takeBack = Math.min(due, await lotLeft(trx, accrual.id));
      shortfall = due - takeBack;
      if (balance.points < takeBack) throw new MerchantError('insufficient_points');
      return {
        kind: 'reverse',
        points: -takeBack,
        amount: refund,
        currency: accrual.currency,
        order_id: input.orderId,
        reverses_entry_id: accrual.id,
        source: 'order',
        operator_id: operatorId,
        store_id: store?.storeId ?? null,
      };
    },
    afterInsert: async (entry, trx) => {
      if (shortfall > 0) {
        await trx
          .insertInto('reversal_shortfalls')
          .values({ entry_id: entry.id, points: shortfall })
          .execute();
      }
    },
  });
  return { result: await reverseResultOf(ctx.db, entry.id), replayed };
}

/**
 * Amount refunded and points due back by reversals of an accrual, up to entry `upTo`: the points
 * each took back plus those it could not (its shortfall).
 */
async function reversedSoFar(db: Kysely<Database>, accrualId: number, upTo: number) {
  const row = await db
    .selectFrom('ledger_entries as r')
    .leftJoin('reversal_shortfalls as s', 's.entry_id', 'r.id')
    .select([
      sql<number>`coalesce(sum(r.amount), 0)`.as('amount'),
      sql<number>`coalesce(sum(-r.points + coalesce(s.points, 0)), 0)`.as('points'),
    ])
    .where('r.reverses_entry_id', '=', accrualId)
    .where('r.kind', '=', 'reverse')
    .where('r.id', '<=', upTo)
    .executeTakeFirstOrThrow();
  return { amount: Number(row.amount), points: Number(row.points) };
}

/** A reversal's result as of its own entry (identical on every replay). */
async function reverseResultOf(db: Kysely<Database>, entryId: number): Promise<ReverseResult> {
  const row = await db
    .selectFrom('ledger_entries as e')
    .innerJoin('members as m', 'm.id', 'e.member_id')
    .innerJoin('ledger_entries as a', 'a.id', 'e.reverses_entry_id')
    .selectAll('e')
    .select(['m.membership_code', 'm.display_name', 'a.id as accrual_id', 'a.amount as accrual_amount'])
    .where('e.id', '=', entryId)
    .executeTakeFirstOrThrow();
  const done = await reversedSoFar(db, row.accrual_id, entryId);
  const amount = row.accrual_amount ?? 0;
  const shortfall = await db
    .selectFrom('reversal_shortfalls')
    .select('points')
    .where('entry_id', '=', entryId)
    .executeTakeFirst();
  return {
    ...entryResult(row, row),
    order: { amount, refundedAmount: done.amount, remainingAmount: amount - done.amount },
    refundId: row.idempotency_key.slice(row.idempotency_key.indexOf('/') + 1),
    pointsNotTakenBack: shortfall?.points ?? 0,
  };
}
