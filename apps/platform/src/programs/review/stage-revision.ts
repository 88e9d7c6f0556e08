import type { Actor } from '../../audit/actor.js';
import { appendAudit } from '../../audit/audit-log.js';
import type { PlatformContext } from '../../context.js';
import { randomToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { isUniqueViolation } from '../../store/dialect.js';
import { logoDhash } from '../look-alikes/logo-hash.js';
import type { LogoType } from '../program-logo.js';
import type { Program } from '../program-repository.js';
import {
  markReviewWithdrawn,
  type ProgramReview,
  pendingReviewOf,
  type ReviewedFields,
} from './review-repository.js';

/** The reviewed fields of `changes` whose value differs from the approved program's. */
export function changedReviewedFields(program: Program, changes: ReviewedFields): ReviewedFields {
  const out: ReviewedFields = {};
  if (changes.name !== undefined && changes.name !== program.name) out.name = changes.name;
  if (changes.bindingUrl !== undefined && changes.bindingUrl !== program.bindingUrl)
    out.bindingUrl = changes.bindingUrl;
  if (changes.detail !== undefined && JSON.stringify(changes.detail) !== JSON.stringify(program.detail))
    out.detail = changes.detail;
  return out;
}

/**
 * Files a change of a LIVE (or SUSPENDED) program's name, binding URL, detail page or logo as its
 * pending revision (PROTOCOL.md §7) while the approved version keeps serving: merged into the open
 * revision if there is one (a later edit of a field replaces the earlier one), fields equal to the
 * approved values dropped; a revision left with nothing to review is withdrawn. Returns the open
 * revision afterwards, or undefined.
 */
export async function stageRevision(
  ctx: PlatformContext,
  actor: Actor,
  program: Program,
  input: { changes: ReviewedFields; logo?: { contentType: LogoType; data: Buffer } },
): Promise<ProgramReview | undefined> {
  const now = ctx.now();
  const at = now.toISOString();
  const logoHash = input.logo ? ((await logoDhash(input.logo.data)) ?? null) : null;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const pending = await pendingReviewOf(trx, program.channelId);
      if (pending && pending.kind !== 'revision') throw fail('3004', 'program_in_review');
      const merged = changedReviewedFields(program, { ...pending?.changes, ...input.changes });
      const hasLogo = input.logo !== undefined || pending?.logoContentType != null;
      if (Object.keys(merged).length === 0 && !hasLogo) {
        if (pending) {
          await trx
            .updateTable('program_reviews')
            .set({ state: 'WITHDRAWN', updated_at: at })
            .where('id', '=', pending.reviewId)
            .where('state', '=', 'PENDING')
            .execute();
        }
        return;
      }
      const logoColumns = input.logo
        ? {
            logo_content_type: input.logo.contentType,
            logo_base64: input.logo.data.toString('base64'),
            logo_dhash: logoHash,
          }
        : {};
      let reviewId = pending?.reviewId;
      if (pending) {
        const result = await trx
          .updateTable('program_reviews')
          .set({ changes: JSON.stringify(merged), updated_at: at, requested_by: actor.id, ...logoColumns })
          .where('id', '=', pending.reviewId)
          .where('state', '=', 'PENDING')
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) throw fail('3004', 'revision_decided_concurrently');
      } else {
        reviewId = `rv_${randomToken(12)}`;
        await trx
          .insertInto('program_reviews')
          .values({
            id: reviewId,
            channel_id: program.channelId,
            kind: 'revision',
            state: 'PENDING',
            changes: JSON.stringify(merged),
            logo_content_type: null,
            logo_base64: null,
            logo_dhash: null,
            ...logoColumns,
            requested_by: actor.id,
            requested_at: at,
            updated_at: at,
            decided_by: null,
            decided_at: null,
            reasons: null,
          })
          .execute();
      }
      await appendAudit(trx, now, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'program.revision_requested',
        targetType: 'program',
        targetId: program.channelId,
        details: { reviewId, fields: [...Object.keys(input.changes), ...(input.logo ? ['logo'] : [])] },
        sourceAddress: actor.sourceAddress,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw fail('3004', 'revision_raced');
    throw err;
  }
  return pendingReviewOf(ctx.db, program.channelId);
}

/** The operator withdraws the pending revision (`DELETE …/revision`); idempotent. */
export async function withdrawRevision(ctx: PlatformContext, actor: Actor, program: Program): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const pending = await pendingReviewOf(trx, program.channelId);
    if (pending?.kind !== 'revision') return;
    await markReviewWithdrawn(trx, pending.reviewId, now);
    await appendAudit(trx, now, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'program.revision_withdrawn',
      targetType: 'program',
      targetId: program.channelId,
      details: { reviewId: pending.reviewId },
      sourceAddress: actor.sourceAddress,
    });
  });
}
