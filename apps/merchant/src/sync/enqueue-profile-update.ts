import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/** Link states whose card should receive profile updates (Apply may still await the wallet). */
export const SYNCED_LINK_STATES = ['applying', 'applied', 'active'] as const;

export interface ProfileUpdate {
  memberId: number;
  /** The member's latest ledger entry id: grows with every change (PROTOCOL.md §6 `version`). */
  version: number;
  points: number;
  level: string | undefined;
  /** The soonest lot's expiry and points (null: nothing expires). */
  pointsExpireAt?: string | null;
  expiringPoints?: number | null;
  now: string;
}

/**
 * Writes the member's new card profile into the outbox for every linked binding, inside the
 * caller's transaction: the update exists exactly when the ledger change does.
 */
export async function enqueueProfileUpdate(trx: Transaction<Database>, update: ProfileUpdate): Promise<void> {
  const links = await trx
    .selectFrom('wallet_links')
    .select('binding_id')
    .where('member_id', '=', update.memberId)
    .where('state', 'in', SYNCED_LINK_STATES)
    .execute();
  if (links.length === 0) return;
  await trx
    .insertInto('profile_outbox')
    .values(
      links.map((l) => ({
        binding_id: l.binding_id,
        member_id: update.memberId,
        version: update.version,
        points: update.points,
        level: update.level ?? null,
        points_expire_at: update.pointsExpireAt ?? null,
        expiring_points: update.expiringPoints ?? null,
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: update.now,
        last_error: null,
        created_at: update.now,
        delivered_at: null,
      })),
    )
    .execute();
}
