import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { fail } from '../http/errors.js';
import { getProgram, type Program, requireProgram } from './program-repository.js';
import { transitionProgram } from './program-status.js';
import { addNotice, mailNotice } from './review/notify-operator.js';

/**
 * A platform administrator suspends a LIVE program or reinstates a SUSPENDED one (PROTOCOL.md §7),
 * with the reason in the audit log. Nothing else is rewritten: while SUSPENDED the program is left
 * out of the wallet's lists, its cards show as paused, its channel answers 1102 and its bindings in
 * flight are refused at every step (reserve, apply, preview, complete) — each of those reads the
 * status — so reinstating (SUSPENDED → LIVE) restores all of it, bindings still within their time
 * included. 4004 unknown, 3004 not in the state it leaves.
 */
export async function setSuspension(
  ctx: PlatformContext,
  admin: Actor,
  channelId: string,
  suspend: boolean,
  reason: string,
  log?: FastifyBaseLogger,
): Promise<Program> {
  const program = await getProgram(ctx.db, channelId);
  if (!program) throw fail('4004', 'program_not_found');
  const [from, to] = suspend ? (['LIVE', 'SUSPENDED'] as const) : (['SUSPENDED', 'LIVE'] as const);
  if (program.status !== from) throw fail('3004', 'program_status_transition');
  const now = ctx.now();
  const kind = suspend ? 'program.suspended' : 'program.reinstated';
  await ctx.db.transaction().execute(async (trx) => {
    await transitionProgram(trx, now, channelId, from, to);
    await appendAudit(trx, now, {
      actorKind: admin.kind,
      actorId: admin.id,
      action: kind,
      targetType: 'program',
      targetId: channelId,
      details: { reason },
      sourceAddress: admin.sourceAddress,
    });
    if (program.operatorId) {
      await addNotice(trx, now, { operatorId: program.operatorId, channelId, kind, reasons: [reason] });
    }
  });
  if (program.operatorId) {
    await mailNotice(ctx, log, {
      operatorId: program.operatorId,
      programName: program.name,
      channelId,
      kind,
      reasons: [reason],
    });
  }
  return requireProgram(ctx.db, channelId);
}
