import { maskMembershipCode } from '@mycard/protocol';
import type { LedgerEntry } from '../db/schema.js';

/** The JSON the POS API answers for a ledger entry (the same bytes again on a replay). */
export interface EntryResult {
  entry: {
    id: number;
    kind: LedgerEntry['kind'];
    orderId: string;
    points: number;
    amount: number | null;
    currency: string | null;
    createdAt: string;
    /** The store it was made at, at a group's shop (PROTOCOL.md §8); absent otherwise. */
    storeId?: string;
  };
  member: { membershipCode: string; displayName: string };
  /** The member's balance right after this entry. */
  balance: number;
}

export function entryResult(
  entry: LedgerEntry,
  member: { membership_code: string; display_name: string },
): EntryResult {
  return {
    entry: {
      id: entry.id,
      kind: entry.kind,
      orderId: entry.order_id,
      points: entry.points,
      amount: entry.amount,
      currency: entry.currency,
      createdAt: entry.created_at,
      ...(entry.store_id ? { storeId: entry.store_id } : {}),
    },
    // Masked: the till screen and its logs never need the full code.
    member: { membershipCode: maskMembershipCode(member.membership_code), displayName: member.display_name },
    balance: entry.balance_after,
  };
}
