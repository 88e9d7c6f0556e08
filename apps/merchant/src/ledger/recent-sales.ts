import { maskMembershipCode } from '@mycard/protocol';
import { sql } from 'kysely';
import type { MerchantContext } from '../context.js';

/** A sale as the till's refund picker lists it. */
export interface RecentSale {
  orderId: string;
  amount: number;
  currency: string | null;
  points: number;
  refundedAmount: number;
  remainingAmount: number;
  member: { membershipCode: string; displayName: string };
  createdAt: string;
}

/** How many sales the picker shows. */
export const RECENT_SALES = 10;

/**
 * The operator's last sales (accruals), newest first, with what is left to refund of each — the
 * list a cashier picks a sale from to refund it (issue 11 item 3). The member's code is masked.
 */
export async function recentSales(ctx: MerchantContext, operatorId: number): Promise<RecentSale[]> {
  const rows = await ctx.db
    .selectFrom('ledger_entries as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .select([
      'a.order_id',
      'a.amount',
      'a.currency',
      'a.points',
      'a.created_at',
      'm.membership_code',
      'm.display_name',
      (eb) =>
        eb
          .selectFrom('ledger_entries as r')
          .select(sql<number>`coalesce(sum(r.amount), 0)`.as('refunded'))
          .whereRef('r.reverses_entry_id', '=', 'a.id')
          .as('refunded'),
    ])
    .where('a.kind', '=', 'accrue')
    .where('a.operator_id', '=', operatorId)
    .orderBy('a.id', 'desc')
    .limit(RECENT_SALES)
    .execute();
  return rows.map((row) => {
    const amount = row.amount ?? 0;
    const refunded = Number(row.refunded ?? 0);
    return {
      orderId: row.order_id,
      amount,
      currency: row.currency,
      points: row.points,
      refundedAmount: refunded,
      remainingAmount: amount - refunded,
      member: { membershipCode: maskMembershipCode(row.membership_code), displayName: row.display_name },
      createdAt: row.created_at,
    };
  });
}
