import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { OkEnvelope, PlatformFigures } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../../audit/actor.js';
import { listAudit } from '../../../audit/audit-log.js';
import type { PlatformContext } from '../../../context.js';
import { computeFigures } from '../../../figures/platform-figures.js';
import { errorResponses } from '../../../http/envelope-schemas.js';
import { listReports, resolveReport } from '../../../reports/report-repository.js';
import { operatorOf } from '../console-auth.js';
import { AuditEntrySchema, ReportIdParams, ReportSchema, security, tags } from './admin-schemas.js';

/** Wallet users' reports, the audit log and the platform's figures. */
export function registerAdminReportRoutes(admin: FastifyInstance, ctx: PlatformContext): void {
  const r = admin.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/reports',
    {
      schema: {
        tags,
        security,
        summary: 'Wallet users\' reports ("report this card"), newest first',
        querystring: Type.Object(
          { state: Type.Optional(Type.Union([Type.Literal('OPEN'), Type.Literal('RESOLVED')])) },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(
            Type.Object({
              reports: Type.Array(Type.Object({ ...ReportSchema.properties, programName: Type.String() })),
            }),
          ),
          ...errorResponses('2101', '4001', '4003'),
        },
      },
    },
    async (request) => {
      const reports = await listReports(ctx.db, { state: request.query.state ?? 'OPEN' });
      const ids = [...new Set(reports.map((x) => x.channelId))];
      const names = new Map(
        ids.length
          ? (
              await ctx.db
                .selectFrom('programs')
                .select(['channel_id', 'name'])
                .where('channel_id', 'in', ids)
                .execute()
            ).map((p) => [p.channel_id, p.name])
          : [],
      );
      return successEnvelope({
        reports: reports.map((x) => ({ ...x, programName: names.get(x.channelId) ?? '' })),
      });
    },
  );

  r.post(
    '/reports/:reportId/resolve',
    {
      schema: {
        tags,
        security,
        summary: 'Close a report: dismissed, or actioned (e.g. the program was suspended)',
        params: ReportIdParams,
        body: Type.Object(
          {
            resolution: Type.Union([Type.Literal('dismissed'), Type.Literal('actioned')]),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(Type.Object({ report: ReportSchema })),
          ...errorResponses('2101', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request, operatorOf(request));
      const report = await resolveReport(
        ctx,
        actor,
        request.params.reportId,
        request.body.resolution,
        request.body.note ?? '',
      );
      return successEnvelope({ report });
    },
  );

  r.get(
    '/audit',
    {
      schema: {
        tags,
        security,
        summary: 'The audit log, newest first (filter by target)',
        querystring: Type.Object(
          {
            targetType: Type.Optional(Type.String({ maxLength: 32 })),
            targetId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(Type.Object({ entries: Type.Array(AuditEntrySchema) })),
          ...errorResponses('2101', '4001', '4003'),
        },
      },
    },
    async (request) => {
      const { targetType, targetId } = request.query;
      return successEnvelope({
        entries: await listAudit(ctx.db, {
          ...(targetType ? { targetType } : {}),
          ...(targetId ? { targetId } : {}),
          limit: 200,
        }),
      });
    },
  );

  r.get(
    '/figures',
    {
      schema: {
        tags,
        security,
        summary: "The platform's figures as JSON (the figures page draws the same)",
        querystring: Type.Object(
          {
            days: Type.Optional(
              Type.String({ pattern: '^(?:[1-9]|[1-8][0-9]|90)$', description: '1–90 (default 14)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(PlatformFigures),
          ...errorResponses('2101', '4001', '4003'),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return successEnvelope(await computeFigures(ctx, Number(request.query.days ?? 14)));
    },
  );
}
