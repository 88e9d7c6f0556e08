import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { ChannelId, OkEnvelope, ReportBody } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { findBinding } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { getProgram, isProgramAvailableTo } from '../../programs/program-repository.js';
import { createReport } from '../../reports/report-repository.js';
import { walletUserOf } from '../../wallet/wallet-session.js';

/**
 * `POST /v1/programs/{channelId}/reports`: "report this card" from a program page or a card
 * (issue 14). The user must be able to see the program (LIVE, or a tester of a DRAFT) or hold a
 * card of it — else 4004, as for an unknown channel; a `bindingId` must be the user's own card of
 * this program (4004 / 4003). At most `rateLimits.reportsPerDay` per user in 24 hours (4029 with
 * Retry-After; nothing stored).
 */
export function registerReportRoute(app: FastifyInstance, ctx: PlatformContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v1/programs/:channelId/reports',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Report a program or card to the platform administrators (reason + optional text)',
        security: [{ walletSession: [] }],
        params: Type.Object({ channelId: ChannelId }, { additionalProperties: false }),
        body: ReportBody,
        response: {
          201: OkEnvelope(Type.Object({ reportId: Type.String(), createdAt: Type.String() })),
          ...errorResponses('2101', '2102', '4001', '4003', '4004', '4029'),
        },
      },
    },
    async (request, reply) => {
      const userId = walletUserOf(request).id;
      const { channelId } = request.params;
      const program = await getProgram(ctx.db, channelId);
      if (!program) throw fail('4004', 'program_unknown');
      let bindingId: string | null = null;
      if (request.body.bindingId) {
        const binding = await findBinding(ctx.db, request.body.bindingId);
        if (!binding || binding.channel_id !== channelId || binding.completed_at === null)
          throw fail('4004', 'card_unknown');
        if (binding.user_id !== userId) throw fail('4003', 'card_foreign');
        bindingId = binding.id;
      } else if (!(await isProgramAvailableTo(ctx.db, program, userId))) {
        const held = await ctx.db
          .selectFrom('bindings')
          .select('id')
          .where('channel_id', '=', channelId)
          .where('user_id', '=', userId)
          .where('state', '=', 'ACTIVE')
          .executeTakeFirst();
        if (!held) throw fail('4004', 'program_unknown');
      }
      const result = await createReport(ctx, {
        userId,
        channelId,
        bindingId,
        reason: request.body.reason,
        text: request.body.text ?? '',
      });
      if ('retryAfter' in result) {
        reply.header('retry-after', String(result.retryAfter));
        throw fail('4029', 'reports_rate_limited');
      }
      return reply
        .code(201)
        .send(successEnvelope({ reportId: result.report.reportId, createdAt: result.report.createdAt }));
    },
  );
}
