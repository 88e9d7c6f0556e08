import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { AdminProgram, ConsoleProgram, OkEnvelope } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { actorOf } from '../../../audit/actor.js';
import type { PlatformContext } from '../../../context.js';
import { errorResponses } from '../../../http/envelope-schemas.js';
import { logoPath } from '../../../programs/program-logo.js';
import { setSuspension } from '../../../programs/suspension.js';
import type { ProgramStatus } from '../../../store/schema.js';
import { operatorOf } from '../console-auth.js';
import { ChannelIdParams, hasProgramLogo, toProgramView } from '../program-view.js';
import { ReasonText, security, tags } from './admin-schemas.js';

/** Programs across all operators, and their suspension (PROTOCOL.md §7). */
export function registerAdminProgramRoutes(admin: FastifyInstance, ctx: PlatformContext): void {
  const r = admin.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/programs',
    {
      schema: {
        tags,
        security,
        summary: 'Every program of the platform (filter by status and name), newest first',
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union(['DRAFT', 'IN_REVIEW', 'LIVE', 'SUSPENDED'].map((s) => Type.Literal(s))),
            ),
            query: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: OkEnvelope(Type.Object({ programs: Type.Array(AdminProgram) })),
          ...errorResponses('2101', '4001', '4003'),
        },
      },
    },
    async (request) => {
      const { status, query } = request.query;
      let q = ctx.db
        .selectFrom('programs')
        .leftJoin('operators', 'operators.id', 'programs.operator_id')
        .leftJoin('program_logos', 'program_logos.channel_id', 'programs.channel_id')
        .select([
          'programs.channel_id',
          'programs.name',
          'programs.status',
          'programs.binding_url',
          'programs.operator_id',
          'programs.created_at',
          'operators.email',
          'program_logos.updated_at as logo_at',
          (eb) =>
            eb
              .selectFrom('bindings')
              .select((e) => e.fn.countAll<number>().as('n'))
              .whereRef('bindings.channel_id', '=', 'programs.channel_id')
              .where('bindings.state', '=', 'ACTIVE')
              .as('active_cards'),
          (eb) =>
            eb
              .selectFrom('program_reviews')
              .select('program_reviews.kind')
              .whereRef('program_reviews.channel_id', '=', 'programs.channel_id')
              .where('program_reviews.state', '=', 'PENDING')
              .as('pending_kind'),
          (eb) =>
            eb
              .selectFrom('program_reports')
              .select((e) => e.fn.countAll<number>().as('n'))
              .whereRef('program_reports.channel_id', '=', 'programs.channel_id')
              .where('program_reports.state', '=', 'OPEN')
              .as('open_reports'),
        ]);
      if (status) q = q.where('programs.status', '=', status as ProgramStatus);
      if (query) {
        const pattern = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where(sql<boolean>`lower(programs.name) like ${pattern} escape '\\'`);
      }
      const rows = await q
        .orderBy('programs.created_at', 'desc')
        .orderBy('programs.channel_id')
        .limit(500)
        .execute();
      return successEnvelope({
        programs: rows.map((p) => ({
          channelId: p.channel_id,
          name: p.name,
          status: p.status,
          bindingUrl: p.binding_url,
          logoUrl: p.logo_at ? logoPath(p.channel_id, p.logo_at) : null,
          operatorId: p.operator_id,
          operatorEmail: p.email,
          activeCards: Number(p.active_cards ?? 0),
          pendingReview: (p.pending_kind ?? null) as 'go-live' | 'revision' | null,
          openReports: Number(p.open_reports ?? 0),
          createdAt: p.created_at,
        })),
      });
    },
  );

  for (const [action, suspend] of [
    ['suspend', true],
    ['reinstate', false],
  ] as const) {
    r.post(
      `/programs/:channelId/${action}`,
      {
        schema: {
          tags,
          security,
          summary: suspend
            ? 'Suspend a LIVE program (hidden from the wallet, cards paused, channel 1102); the reason goes to the audit log'
            : 'Reinstate a SUSPENDED program (LIVE again, everything restored)',
          params: ChannelIdParams,
          body: Type.Object({ reason: ReasonText }, { additionalProperties: false }),
          response: {
            200: OkEnvelope(Type.Object({ program: ConsoleProgram })),
            ...errorResponses('2101', '3004', '4001', '4003', '4004'),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request, operatorOf(request));
        const program = await setSuspension(
          ctx,
          actor,
          request.params.channelId,
          suspend,
          request.body.reason,
          request.log,
        );
        return successEnvelope({
          program: toProgramView(program, await hasProgramLogo(ctx.db, program.channelId)),
        });
      },
    );
  }
}
