import type { Kysely, Transaction } from 'kysely';
import type { PlatformContext } from '../context.js';
import { fail } from '../http/errors.js';
import type { Database, ProgramStatus } from '../store/schema.js';

/**
 * The program state graph (PROTOCOL.md §7): DRAFT → LIVE directly when review is off, or
 * DRAFT → IN_REVIEW → LIVE (approved) / DRAFT (rejected or withdrawn) when it is required;
 * LIVE ⇄ SUSPENDED by platform administrators only. A LIVE program never returns to DRAFT (its
 * members' cards would vanish for everyone but testers).
 */
export const PROGRAM_TRANSITIONS: Readonly<Record<ProgramStatus, readonly ProgramStatus[]>> = {
  DRAFT: ['LIVE', 'IN_REVIEW'],
  IN_REVIEW: ['LIVE', 'DRAFT'],
  LIVE: ['SUSPENDED'],
  SUSPENDED: ['LIVE'],
};

export function canTransition(from: ProgramStatus, to: ProgramStatus): boolean {
  return from === to || PROGRAM_TRANSITIONS[from].includes(to);
}

/** Whether a program was approved once: its name, logo, binding URL and detail are then reviewed. */
export function isApproved(status: ProgramStatus): boolean {
  return status === 'LIVE' || status === 'SUSPENDED';
}

/**
 * Moves a program from `from` to `to` by an update conditional on `from`, so two concurrent
 * changes cannot both apply from a stale state: 3004 when the program is no longer in `from`.
 */
export async function transitionProgram(
  db: Kysely<Database> | Transaction<Database>,
  at: Date,
  channelId: string,
  from: ProgramStatus,
  to: ProgramStatus,
): Promise<void> {
  if (!canTransition(from, to)) throw fail('3004', 'program_status_transition');
  if (from === to) return;
  const result = await db
    .updateTable('programs')
    .set({ status: to, updated_at: at.toISOString() })
    .where('channel_id', '=', channelId)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw fail('3004', 'program_status_changed_concurrently');
}

export type StatusContext = Pick<PlatformContext, 'db' | 'now'>;
