import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { EmptyInfo, Notice, OkEnvelope } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { getProgram } from '../../programs/program-repository.js';
import { listNotices, markNoticeRead } from '../../programs/review/notify-operator.js';
import { getReview, reviewLogo } from '../../programs/review/review-repository.js';
import { authorizeOrganization, operatorOf } from './console-auth.js';

const tags = ['console'];
const security = [{ consoleSession: [] }];

/**
 * What operators are told (review decisions, suspensions) and the proposed logo of a review,
 * which only the program's operator and platform administrators may see.
 */
export function registerNoticeRoutes(authed: FastifyInstance, ctx: PlatformContext): void {
  const r = authed.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/notices',
    {
      schema: {
        tags,
        security,
        summary: "The operator's notices: review decisions (with reasons) and suspensions, newest first",
        response: {
          200: OkEnvelope(
            Type.Object({
              notices: Type.Array(Notice),
            }),
          ),
          ...errorResponses('4001'),
        },
      },
    },
    async (request) => successEnvelope({ notices: await listNotices(ctx.db, operatorOf(request).id) }),
  );

  r.post(
    '/notices/:noticeId/read',
    {
      schema: {
        tags,
        security,
        summary: 'Mark a notice read',
        params: Type.Object(
          { noticeId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) },
          { additionalProperties: false },
        ),
        body: Type.Object({}, { additionalProperties: false }),
        response: { 200: OkEnvelope(EmptyInfo), ...errorResponses('2101', '2102', '4001', '4003', '4004') },
      },
    },
    async (request) => {
      if (!(await markNoticeRead(ctx, operatorOf(request).id, Number(request.params.noticeId))))
        throw fail('4004', 'notice_not_found');
      return successEnvelope({});
    },
  );

  r.get(
    '/reviews/:reviewId/logo',
    {
      schema: {
        tags,
        security,
        summary: "A review's proposed logo (the program's operator and platform administrators)",
        params: Type.Object(
          { reviewId: Type.String({ pattern: '^rv_[A-Za-z0-9_-]{10,40}$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The image bytes',
            content: { 'image/*': { schema: Type.String({ format: 'binary' }) } },
          },
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const operator = operatorOf(request);
      const review = await getReview(ctx.db, request.params.reviewId);
      if (!review) throw fail('4004', 'review_not_found');
      const program = await getProgram(ctx.db, review.channelId);
      // The members of the program's organization (any role: it is what the program would show).
      if (operator.platformRole !== 'platform-admin') {
        if (!program) throw fail('4003', 'review_not_yours');
        await authorizeOrganization(ctx, request, program.organizationId, 'review_not_yours');
      }
      const logo = await reviewLogo(ctx.db, review.reviewId);
      if (!logo) throw fail('4004', 'review_logo_not_found');
      return reply
        .header('content-type', logo.contentType)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(logo.data as never);
    },
  );
}
