import { type AuditEntry, listAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { fail } from '../http/errors.js';
import { findLookAlikes, hostOf, type LookAlikes } from '../programs/look-alikes/find-look-alikes.js';
import { getProgram, type Program } from '../programs/program-repository.js';
import { getReview, type ProgramReview, reviewsOf } from '../programs/review/review-repository.js';
import { listReports, type ProgramReport } from '../reports/report-repository.js';

export interface ReviewScreen {
  review: ProgramReview;
  /** The program as it is live now (a go-live request: as it would go live). */
  program: Program & { hasLogo: boolean };
  /** What goes live on approval: the approved fields overlaid with the proposed ones. */
  proposed: { name: string; bindingUrl: string; detail: Program['detail']; bindingHost: string };
  lookAlikes: LookAlikes;
  organization: {
    operatorId: string | null;
    email: string | null;
    displayName: string | null;
    createdAt: string | null;
    programs: { channelId: string; name: string; status: string }[];
  };
  history: { reviews: ProgramReview[]; audit: AuditEntry[] };
  reports: ProgramReport[];
}

/**
 * Everything the review screen shows beside a review (issue 14): the live and the proposed
 * version, LIVE look-alikes by name, logo and binding URL host, the organization (until
 * organizations exist, issue 12: the operator who owns the program, with its other programs), the
 * program's review and audit history, and reports of wallet users.
 */
export async function loadReviewScreen(ctx: PlatformContext, reviewId: string): Promise<ReviewScreen> {
  const review = await getReview(ctx.db, reviewId);
  if (!review) throw fail('4004', 'review_not_found');
  const program = await getProgram(ctx.db, review.channelId);
  if (!program) throw fail('4004', 'program_not_found');
  const logo = await ctx.db
    .selectFrom('program_logos')
    .select('dhash')
    .where('channel_id', '=', program.channelId)
    .executeTakeFirst();
  const proposed = {
    name: review.changes.name ?? program.name,
    bindingUrl: review.changes.bindingUrl ?? program.bindingUrl,
    detail: review.changes.detail ?? program.detail,
  };
  const dhashes = [review.logoDhash, logo?.dhash].filter((h): h is string => typeof h === 'string');
  const [lookAlikes, owner, siblings, reviews, audit, reports] = await Promise.all([
    findLookAlikes(ctx.db, {
      channelId: program.channelId,
      names: [...new Set([proposed.name, program.name])],
      dhashes: [...new Set(dhashes)],
      bindingHosts: [hostOf(proposed.bindingUrl)],
    }),
    program.operatorId
      ? ctx.db
          .selectFrom('operators')
          .select(['id', 'email', 'display_name', 'created_at'])
          .where('id', '=', program.operatorId)
          .executeTakeFirst()
      : undefined,
    program.operatorId
      ? ctx.db
          .selectFrom('programs')
          .select(['channel_id', 'name', 'status'])
          .where('operator_id', '=', program.operatorId)
          .where('channel_id', '!=', program.channelId)
          .orderBy('created_at', 'desc')
          .limit(50)
          .execute()
      : [],
    reviewsOf(ctx.db, program.channelId),
    listAudit(ctx.db, { targetType: 'program', targetId: program.channelId, limit: 50 }),
    listReports(ctx.db, { channelId: program.channelId, limit: 20 }),
  ]);
  return {
    review,
    program: { ...program, hasLogo: logo !== undefined },
    proposed: { ...proposed, bindingHost: hostOf(proposed.bindingUrl) },
    lookAlikes,
    organization: {
      operatorId: program.operatorId,
      email: owner?.email ?? null,
      displayName: owner?.display_name ?? null,
      createdAt: owner?.created_at ?? null,
      programs: siblings.map((s) => ({ channelId: s.channel_id, name: s.name, status: s.status })),
    },
    history: { reviews, audit },
    reports,
  };
}
