import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MerchantContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import type { LedgerResult } from './accrue.js';
import { appendEntry, findReplay } from './append-entry.js';
import { type EntryResult, entryResult } from './entry-result.js';
import { requestFingerprint } from './fingerprint.js';
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
}

/**
 * Reverse (refund) an accrual fully or partly. The points taken back are what the purchase earned
 * minus what the amount left after all refunds so far would earn (by the earning rule, never more
 * than the accrual gave), so a full refund takes back exactly the accrued points and partial
 * refunds add up to it. A refund larger than what is left of the order is `over_reversal`; a
 * member who already spent the points gets `insufficient_points` (the balance never goes negative).
 */
export async function reverse(
  ctx: MerchantContext,
  input: ReverseInput,
  operatorId: number | null,
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
  if (earlier) return { result: await reverseResultOf(ctx.db, earlier.id), replayed: true };

  const accrual = await ctx.db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('idempotency_key', '=', `accrue:${input.orderId}`)
    .executeTakeFirst();
  if (!accrual || accrual.amount === null) throw new MerchantError('order_not_found');
  const accrualAmount = accrual.amount;

  const { entry, replayed } = await appendEntry(ctx, {
    memberId: accrual.member_id,
    idempotencyKey,
    fingerprint,
    decide: async (balance, trx) => {
      const done = await reversedSoFar(trx, accrual.id, Number.MAX_SAFE_INTEGER);
      const remaining = accrualAmount - done.amount;
      const refund = input.amount ?? remaining;
      if (remaining <= 0 || refund > remaining) throw new MerchantError('over_reversal');
      const keep = Math.min(accrual.points, pointsForAmount(remaining - refund, ctx.config.earning));
      const takeBack = Math.max(0, accrual.points - done.points - keep);
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
      };
    },
  });
  return { result: await reverseResultOf(ctx.db, entry.id), replayed };
}

/** Amount refunded and points taken back by reversals of an accrual, up to entry `upTo`. */
async function reversedSoFar(db: Kysely<Database>, accrualId: number, upTo: number) {
  const row = await db
    .selectFrom('ledger_entries')
    .select([
      sql<number>`coalesce(sum(amount), 0)`.as('amount'),
      sql<number>`coalesce(sum(-points), 0)`.as('points'),
    ])
    .where('reverses_entry_id', '=', accrualId)
    .where('id', '<=', upTo)
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
  return {
    ...entryResult(row, row),
    order: { amount, refundedAmount: done.amount, remainingAmount: amount - done.amount },
    refundId: row.idempotency_key.slice(row.idempotency_key.indexOf('/') + 1),
  };
}
