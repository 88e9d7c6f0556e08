import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { ConsoleProgram, OkEnvelope, QueuedReview, ReviewScreen } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { loadReviewScreen } from '../../../admin/review-screen.js';
import { actorOf } from '../../../audit/actor.js';
import type { PlatformContext } from '../../../context.js';
import { errorResponses } from '../../../http/envelope-schemas.js';
import { logoPath } from '../../../programs/program-logo.js';
import { decideReview } from '../../../programs/review/decide-review.js';
import { listPendingReviews } from '../../../programs/review/review-repository.js';
import { operatorOf } from '../console-auth.js';
import { hasProgramLogo, toProgramView } from '../program-view.js';
import { ReviewSchema, toReviewView } from '../review-view.js';
import { ReasonText, ReviewIdParams, security, tags } from './admin-schemas.js';

/** The review queue, the review screen and the decisions (PROTOCOL.md §7). */
export function registerAdminReviewRoutes(admin: FastifyInstance, ctx: PlatformContext): void {
  const r = admin.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/reviews',
    {
      schema: {
        tags,
        security,
        summary: 'The review queue: open go-live requests and revisions, oldest first',
        response: {
          200: OkEnvelope(
            Type.Object({
              reviews: Type.Array(QueuedReview),
            }),
          ),
          ...errorResponses('4001', '4003'),
        },
      },
    },
    async () => {
      const reviews = await listPendingReviews(ctx.db);
      const ids = [...new Set(reviews.map((r) => r.channelId))];
      const programs = ids.length
        ? await ctx.db
            .selectFrom('programs')
            .leftJoin('program_logos', 'program_logos.channel_id', 'programs.channel_id')
            .select([
              'programs.channel_id',
              'programs.name',
              'programs.status',
              'program_logos.updated_at as logo_at',
            ])
            .where('programs.channel_id', 'in', ids)
            .execute()
        : [];
      const byId = new Map(programs.map((p) => [p.channel_id, p]));
      return successEnvelope({
        reviews: reviews.map((review) => {
          const p = byId.get(review.channelId);
          return {
            review: toReviewView(review),
            programName: p?.name ?? '',
            status: p?.status ?? '',
            logoUrl: p?.logo_at ? logoPath(review.channelId, p.logo_at) : null,
          };
        }),
      });
    },
  );

  r.get(
    '/reviews/:reviewId',
    {
      schema: {
        tags,
        security,
        summary:
          'The review screen: live and proposed version, LIVE look-alikes by name, logo and binding host, the organization, history and reports',
        params: ReviewIdParams,
        response: {
          200: OkEnvelope(ReviewScreen),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const screen = await loadReviewScreen(ctx, request.params.reviewId);
      const review = toReviewView(screen.review);
      const liveLogo = screen.program.hasLogo ? logoPath(screen.program.channelId) : null;
      return successEnvelope({
        review,
        program: toProgramView(screen.program, screen.program.hasLogo),
        proposed: { ...screen.proposed, logoUrl: review.logoUrl ?? liveLogo },
        lookAlikes: screen.lookAlikes,
        organization: screen.organization,
        history: { reviews: screen.history.reviews.map(toReviewView), audit: screen.history.audit },
        reports: screen.reports,
      });
    },
  );

  const decisionResponse = {
    200: OkEnvelope(Type.Object({ review: ReviewSchema, program: ConsoleProgram })),
    ...errorResponses('2101', '3004', '4001', '4003', '4004'),
  };
  r.post(
    '/reviews/:reviewId/approve',
    {
      schema: {
        tags,
        security,
        summary: 'Approve: a go-live request makes the program LIVE; a revision replaces the live version',
        params: ReviewIdParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: decisionResponse,
      },
    },
    async (request) => {
      const actor = actorOf(request, operatorOf(request));
      const { review, program } = await decideReview(
        ctx,
        actor,
        request.params.reviewId,
        { approve: true },
        request.log,
      );
      return successEnvelope({
        review: toReviewView(review),
        program: toProgramView(program, await hasProgramLogo(ctx.db, program.channelId)),
      });
    },
  );
  r.post(
    '/reviews/:reviewId/reject',
    {
      schema: {
        tags,
        security,
        summary:
          'Reject with reasons the operator sees: a go-live request goes back to DRAFT; a revision is dropped and the live version stays',
        params: ReviewIdParams,
        body: Type.Object(
          { reasons: Type.Array(ReasonText, { minItems: 1, maxItems: 10 }) },
          { additionalProperties: false },
        ),
        response: decisionResponse,
      },
    },
    async (request) => {
      const actor = actorOf(request, operatorOf(request));
      const { review, program } = await decideReview(
        ctx,
        actor,
        request.params.reviewId,
        { approve: false, reasons: request.body.reasons },
        request.log,
      );
      return successEnvelope({
        review: toReviewView(review),
        program: toProgramView(program, await hasProgramLogo(ctx.db, program.channelId)),
      });
    },
  );
}
