import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { ConsoleProgram, OkEnvelope, ProgramStatusSchema, Testers } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../audit/actor.js';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { revealChannelSecret, rotateChannelSecret } from '../../programs/channel-secrets.js';
import { replaceTesters } from '../../programs/program-testers.js';
import { requestProgramStatus } from '../../programs/review/request-status.js';
import { withdrawRevision } from '../../programs/review/stage-revision.js';
import { loadOwnedProgram, operatorOf } from './console-auth.js';
import { ChannelIdParams, hasProgramLogo, toProgramView } from './program-view.js';
import { ReviewStatusSchema, reviewStatusOf } from './review-view.js';

const tags = ['console'];
const security = [{ consoleSession: [] }];
/** POST bodies of actions without parameters: `{}` (JSON required by the CSRF rule). */
const NoBody = Type.Object({}, { additionalProperties: false });

/** Status transitions, testers and channel-secret management of a program. */
export function registerProgramAdminRoutes(authed: FastifyInstance, ctx: PlatformContext): void {
  const r = authed.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/programs/:channelId/status',
    {
      schema: {
        tags,
        security,
        summary:
          'Go live (LIVE: at once, or DRAFT → IN_REVIEW when review is required) or withdraw a review request (DRAFT); SUSPENDED is for platform administrators (4003)',
        params: ChannelIdParams,
        body: Type.Object({ status: ProgramStatusSchema }, { additionalProperties: false }),
        response: {
          200: OkEnvelope(Type.Object({ program: ConsoleProgram, review: ReviewStatusSchema })),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const actor = actorOf(request, operatorOf(request));
      const updated = await requestProgramStatus(ctx, actor, program, request.body.status);
      return successEnvelope({
        program: toProgramView(updated, await hasProgramLogo(ctx.db, program.channelId)),
        review: await reviewStatusOf(ctx, program.channelId),
      });
    },
  );

  r.delete(
    '/programs/:channelId/revision',
    {
      schema: {
        tags,
        security,
        summary: "Withdraw the LIVE program's pending revision (idempotent)",
        params: ChannelIdParams,
        response: {
          200: OkEnvelope(Type.Object({ review: ReviewStatusSchema })),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      await withdrawRevision(ctx, actorOf(request, operatorOf(request)), program);
      return successEnvelope({ review: await reviewStatusOf(ctx, program.channelId) });
    },
  );

  r.put(
    '/programs/:channelId/testers',
    {
      schema: {
        tags,
        security,
        summary: 'Replace the sandbox testers (wallet user ids that may bind while DRAFT)',
        params: ChannelIdParams,
        body: Type.Object({ userIds: Testers }, { additionalProperties: false }),
        response: {
          200: OkEnvelope(Type.Object({ testers: Type.Array(Type.String()) })),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      return successEnvelope({
        testers: await replaceTesters(
          ctx,
          program.channelId,
          request.body.userIds,
          actorOf(request, operatorOf(request)),
        ),
      });
    },
  );

  r.post(
    '/programs/:channelId/secret/reveal',
    {
      schema: {
        tags,
        security,
        summary: 'Show the current channel secret',
        params: ChannelIdParams,
        body: NoBody,
        response: {
          200: OkEnvelope(Type.Object({ channelSecret: Type.String(), createdAt: Type.String() })),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      reply.header('cache-control', 'no-store');
      return successEnvelope(
        await revealChannelSecret(ctx, program.channelId, actorOf(request, operatorOf(request))),
      );
    },
  );

  r.post(
    '/programs/:channelId/secret/rotate',
    {
      schema: {
        tags,
        security,
        summary: 'Issue a new channel secret; the previous one keeps working until previousExpiresAt',
        params: ChannelIdParams,
        body: NoBody,
        response: {
          200: OkEnvelope(
            Type.Object({
              channelSecret: Type.String(),
              createdAt: Type.String(),
              previousExpiresAt: Type.String(),
            }),
          ),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      reply.header('cache-control', 'no-store');
      return successEnvelope(
        await rotateChannelSecret(
          ctx,
          program.channelId,
          ctx.config.secretOverlap,
          actorOf(request, operatorOf(request)),
        ),
      );
    },
  );
}
