import type { Actor } from '../../audit/actor.js';
import { appendAudit } from '../../audit/audit-log.js';
import type { PlatformContext } from '../../context.js';
import { randomToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { isUniqueViolation } from '../../store/dialect.js';
import type { ProgramStatus } from '../../store/schema.js';
import { type Program, requireProgram } from '../program-repository.js';
import { canTransition, transitionProgram } from '../program-status.js';
import { markReviewWithdrawn, pendingReviewOf, reviewRequired } from './review-repository.js';

/**
 * An operator's status change (`POST /v1/console/programs/{id}/status`, PROTOCOL.md §7), as steps:
 * suspension and reinstatement are for platform administrators (4003) → the transition is allowed
 * (3004) → "Go live" is a review request when review is required (DRAFT → IN_REVIEW, with a
 * snapshot of what is reviewed) or immediate when it is off → DRAFT from IN_REVIEW withdraws the
 * request. Asking for the current status (or LIVE while IN_REVIEW) changes nothing.
 */
export async function requestProgramStatus(
  ctx: PlatformContext,
  actor: Actor,
  program: Program,
  to: ProgramStatus,
): Promise<Program> {
  if (to === 'SUSPENDED' || program.status === 'SUSPENDED') throw fail('4003', 'platform_admin_only');
  if (to === 'IN_REVIEW') throw fail('2101', 'status_in_review_is_requested_with_live');
  if (program.status === 'IN_REVIEW' && to === 'LIVE') return program;
  if (!canTransition(program.status, to)) throw fail('3004', 'program_status_transition');
  if (program.status === to) return program;
  const now = ctx.now();
  if (program.status === 'DRAFT' && to === 'LIVE' && reviewRequired(ctx.config)) {
    await requestGoLive(ctx, actor, program, now);
  } else if (program.status === 'IN_REVIEW' && to === 'DRAFT') {
    await withdrawGoLive(ctx, actor, program, now);
  } else {
    await ctx.db.transaction().execute(async (trx) => {
      await transitionProgram(trx, now, program.channelId, program.status, to);
      await appendAudit(trx, now, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'program.status_changed',
        targetType: 'program',
        targetId: program.channelId,
        details: { from: program.status, to },
        sourceAddress: actor.sourceAddress,
      });
    });
  }
  return requireProgram(ctx.db, program.channelId);
}

async function requestGoLive(ctx: PlatformContext, actor: Actor, program: Program, now: Date) {
  const logo = await ctx.db
    .selectFrom('program_logos')
    .select('dhash')
    .where('channel_id', '=', program.channelId)
    .executeTakeFirst();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await transitionProgram(trx, now, program.channelId, 'DRAFT', 'IN_REVIEW');
      const reviewId = `rv_${randomToken(12)}`;
      await trx
        .insertInto('program_reviews')
        .values({
          id: reviewId,
          channel_id: program.channelId,
          kind: 'go-live',
          state: 'PENDING',
          // What the administrator reviews, as it was when asked (the history keeps it).
          changes: JSON.stringify({
            name: program.name,
            bindingUrl: program.bindingUrl,
            detail: program.detail,
          }),
          logo_content_type: null,
          logo_base64: null,
          logo_dhash: logo?.dhash ?? null,
          requested_by: actor.id,
          requested_at: now.toISOString(),
          updated_at: now.toISOString(),
          decided_by: null,
          decided_at: null,
          reasons: null,
        })
        .execute();
      await appendAudit(trx, now, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'program.review_requested',
        targetType: 'program',
        targetId: program.channelId,
        details: { reviewId, kind: 'go-live' },
        sourceAddress: actor.sourceAddress,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw fail('3004', 'review_pending');
    throw err;
  }
}

async function withdrawGoLive(ctx: PlatformContext, actor: Actor, program: Program, now: Date) {
  await ctx.db.transaction().execute(async (trx) => {
    await transitionProgram(trx, now, program.channelId, 'IN_REVIEW', 'DRAFT');
    const pending = await pendingReviewOf(trx, program.channelId);
    if (pending) await markReviewWithdrawn(trx, pending.reviewId, now);
    await appendAudit(trx, now, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'program.review_withdrawn',
      targetType: 'program',
      targetId: program.channelId,
      details: { reviewId: pending?.reviewId ?? null, kind: 'go-live' },
      sourceAddress: actor.sourceAddress,
    });
  });
}
