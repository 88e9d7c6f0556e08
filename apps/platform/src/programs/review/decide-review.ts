import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { Actor } from '../../audit/actor.js';
import { appendAudit } from '../../audit/audit-log.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import type { Database } from '../../store/schema.js';
import { upsertProgramLogo } from '../program-logo.js';
import { getProgram, type Program, requireProgram } from '../program-repository.js';
import { transitionProgram } from '../program-status.js';
import { addNotice, mailNotice, type NoticeKind } from './notify-operator.js';
import { getReview, type ProgramReview } from './review-repository.js';

export type Decision = { approve: true } | { approve: false; reasons: string[] };

/**
 * A platform administrator decides a review (PROTOCOL.md §7), as steps: load the review (4004) →
 * it is still PENDING (3004) → in one transaction: mark it decided by a conditional update (two
 * administrators deciding at once: one wins, the other gets 3004), apply it (go-live: IN_REVIEW →
 * LIVE or back to DRAFT; revision approved: the proposed fields and logo replace the live ones;
 * revision rejected: the live version is untouched), the audit entry and the operator's notice →
 * after the commit, the e-mail when SMTP is configured.
 */
export async function decideReview(
  ctx: PlatformContext,
  admin: Actor,
  reviewId: string,
  decision: Decision,
  log?: FastifyBaseLogger,
): Promise<{ review: ProgramReview; program: Program }> {
  const review = await getReview(ctx.db, reviewId);
  if (!review) throw fail('4004', 'review_not_found');
  if (review.state !== 'PENDING') throw fail('3004', 'review_decided');
  const program = await getProgram(ctx.db, review.channelId);
  if (!program) throw fail('4004', 'program_not_found');
  const now = ctx.now();
  const reasons = decision.approve ? [] : decision.reasons;
  const kind: NoticeKind = `${review.kind}.${decision.approve ? 'approved' : 'rejected'}`;
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('program_reviews')
      .set({
        state: decision.approve ? 'APPROVED' : 'REJECTED',
        decided_by: admin.id,
        decided_at: now.toISOString(),
        updated_at: now.toISOString(),
        reasons: JSON.stringify(reasons),
      })
      .where('id', '=', reviewId)
      .where('state', '=', 'PENDING')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw fail('3004', 'review_decided_concurrently');
    if (review.kind === 'go-live') {
      await transitionProgram(trx, now, program.channelId, 'IN_REVIEW', decision.approve ? 'LIVE' : 'DRAFT');
    } else if (decision.approve) {
      await applyRevision(trx, now, review);
    }
    await appendAudit(trx, now, {
      actorKind: admin.kind,
      actorId: admin.id,
      action: `program.${kind.replace('.', '_')}`,
      targetType: 'program',
      targetId: program.channelId,
      details: { reviewId, reasons },
      sourceAddress: admin.sourceAddress,
    });
    if (program.operatorId) {
      await addNotice(trx, now, {
        operatorId: program.operatorId,
        channelId: program.channelId,
        kind,
        reasons,
      });
    }
  });
  const updated = await requireProgram(ctx.db, program.channelId);
  if (program.operatorId) {
    await mailNotice(ctx, log, {
      operatorId: program.operatorId,
      programName: updated.name,
      channelId: program.channelId,
      kind,
      reasons,
    });
  }
  const decided = await getReview(ctx.db, reviewId);
  if (!decided) throw fail('4004', 'review_not_found');
  return { review: decided, program: updated };
}

/** The approved revision's fields and logo become the live ones. */
async function applyRevision(trx: Transaction<Database>, now: Date, review: ProgramReview): Promise<void> {
  const { name, bindingUrl, detail } = review.changes;
  await trx
    .updateTable('programs')
    .set({
      ...(name !== undefined ? { name } : {}),
      ...(bindingUrl !== undefined ? { binding_url: bindingUrl } : {}),
      ...(detail !== undefined ? { detail: JSON.stringify(detail) } : {}),
      updated_at: now.toISOString(),
    })
    .where('channel_id', '=', review.channelId)
    .execute();
  if (!review.logoContentType) return;
  const logo = await trx
    .selectFrom('program_reviews')
    .select(['logo_content_type', 'logo_base64', 'logo_dhash'])
    .where('id', '=', review.reviewId)
    .executeTakeFirstOrThrow();
  await upsertProgramLogo(trx, {
    channel_id: review.channelId,
    content_type: logo.logo_content_type ?? review.logoContentType,
    data_base64: logo.logo_base64 ?? '',
    updated_at: now.toISOString(),
    dhash: logo.logo_dhash,
  });
}
