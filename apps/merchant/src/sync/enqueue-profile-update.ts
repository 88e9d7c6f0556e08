import { sql, type Transaction } from 'kysely';
import { compiledOnce, slot } from '../db/compiled-query.js';
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
  const result = await trx.executeQuery(
    insertProfileRows(trx, [
      update.version,
      update.points,
      update.level ?? null,
      update.pointsExpireAt ?? null,
      update.expiringPoints ?? null,
      update.now,
      update.memberId,
    ]),
  );
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** The outbox rows of one profile update, built once (issue 10: the accrual's hot path). */
const insertProfileRows = compiledOnce<
  unknown,
  [number, number, string | null, string | null, number | null, string, number]
>((db) =>
  db
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
          sql<number>`cast(${slot(0)} as bigint)`.as('version'),
          sql<number>`cast(${slot(1)} as integer)`.as('points'),
          sql<string | null>`cast(${slot(2)} as text)`.as('level'),
          sql<string | null>`cast(${slot(3)} as text)`.as('points_expire_at'),
          sql<number | null>`cast(${slot(4)} as integer)`.as('expiring_points'),
          sql<'pending'>`'pending'`.as('state'),
          sql<number>`0`.as('attempts'),
          sql<string>`cast(${slot(5)} as text)`.as('next_attempt_at'),
          sql<null>`null`.as('last_error'),
          sql<string>`cast(${slot(5)} as text)`.as('created_at'),
          sql<null>`null`.as('delivered_at'),
        ])
        .where('member_id', '=', slot<number>(6))
        .where('state', 'in', SYNCED_LINK_STATES),
    ),
);
