import { sql, type Transaction } from 'kysely';
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
 * caller's transaction: the update exists exactly when the ledger change does. True when a row was
 * written (the member has a card).
 */
export async function enqueueProfileUpdate(
  trx: Transaction<Database>,
  update: ProfileUpdate,
): Promise<boolean> {
  // One statement: a row per synced link, none when the member has no card.
  const result = await trx
    .insertInto('profile_outbox')
    .columns([
      'binding_id',
      'member_id',
      'version',
      'points',
      'level',
      'points_expire_at',
      'expiring_points',
      'state',
      'attempts',
      'next_attempt_at',
      'last_error',
      'created_at',
      'delivered_at',
    ])
    .expression((eb) =>
      eb
        .selectFrom('wallet_links')
        .select([
          'binding_id',
          'member_id',
          // Typed: PostgreSQL reads an untyped parameter in a SELECT list as text.
          sql<number>`cast(${update.version} as bigint)`.as('version'),
          sql<number>`cast(${update.points} as integer)`.as('points'),
          sql<string | null>`cast(${update.level ?? null} as text)`.as('level'),
          sql<string | null>`cast(${update.pointsExpireAt ?? null} as text)`.as('points_expire_at'),
          sql<number | null>`cast(${update.expiringPoints ?? null} as integer)`.as('expiring_points'),
          sql<'pending'>`'pending'`.as('state'),
          sql<number>`0`.as('attempts'),
          sql<string>`cast(${update.now} as text)`.as('next_attempt_at'),
          sql<null>`null`.as('last_error'),
          sql<string>`cast(${update.now} as text)`.as('created_at'),
          sql<null>`null`.as('delivered_at'),
        ])
        .where('member_id', '=', update.memberId)
        .where('state', 'in', SYNCED_LINK_STATES),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
