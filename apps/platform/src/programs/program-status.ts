import type { PlatformContext } from '../context.js';
import { fail } from '../http/errors.js';
import type { ProgramStatus } from '../store/schema.js';
import { getProgram, type Program, requireProgram } from './program-repository.js';

/**
 * Allowed program status transitions (PROTOCOL.md §7): DRAFT → LIVE → SUSPENDED, and a suspended
 * program may go LIVE again. A LIVE program never returns to DRAFT (its members would lose their
 * cards' availability to everyone but testers). Asking for the current status is a no-op success.
 */
export const PROGRAM_TRANSITIONS: Readonly<Record<ProgramStatus, readonly ProgramStatus[]>> = {
  DRAFT: ['LIVE'],
  LIVE: ['SUSPENDED'],
  SUSPENDED: ['LIVE'],
};

export function canTransition(from: ProgramStatus, to: ProgramStatus): boolean {
  return from === to || PROGRAM_TRANSITIONS[from].includes(to);
}

/**
 * Moves a program to `to`; 3004 (409) when the transition is not allowed. The update is
 * conditional on the status read, so two concurrent changes cannot both apply from a stale state.
 */
export async function changeProgramStatus(
  ctx: Pick<PlatformContext, 'db' | 'now'>,
  channelId: string,
  to: ProgramStatus,
): Promise<Program> {
  const program = await getProgram(ctx.db, channelId);
  if (!program) throw fail('4004', 'program_not_found');
  if (!canTransition(program.status, to)) throw fail('3004', 'program_status_transition');
  if (program.status === to) return program;
  const result = await ctx.db
    .updateTable('programs')
    .set({ status: to, updated_at: ctx.now().toISOString() })
    .where('channel_id', '=', channelId)
    .where('status', '=', program.status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw fail('3004', 'program_status_changed_concurrently');
  return requireProgram(ctx.db, channelId);
}
