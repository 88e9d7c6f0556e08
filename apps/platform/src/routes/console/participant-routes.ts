import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import {
  ChannelId,
  ConsoleParticipant,
  CreatedParticipant,
  NewParticipantBody,
  OkEnvelope,
  ParticipantId,
  ParticipantList,
  ParticipantPatchBody,
} from '@mycard/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../audit/actor.js';
import { appendAudit } from '../../audit/audit-log.js';
import type { PlatformContext } from '../../context.js';
import {
  createParticipant,
  isGroupProgram,
  listParticipants,
  makeGroupProgram,
  requireParticipant,
  toConsoleParticipant,
  updateParticipant,
} from '../../groups/participant-repository.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { revealChannelSecret, rotateChannelSecret } from '../../programs/channel-secrets.js';
import type { Program } from '../../programs/program-repository.js';
import { loadOwnedProgram, operatorOf } from './console-auth.js';
import { ChannelIdParams } from './program-view.js';

const tags = ['console', 'groups'];
const security = [{ consoleSession: [] }];
const NoBody = Type.Object({}, { additionalProperties: false });
export const ParticipantParams = Type.Object(
  { channelId: ChannelId, participantId: ParticipantId },
  { additionalProperties: false },
);
const SecretShown = Type.Object({ channelSecret: Type.String(), createdAt: Type.String() });
const SecretRotated = Type.Object({
  channelSecret: Type.String(),
  createdAt: Type.String(),
  previousExpiresAt: Type.String(),
});

/**
 * Group programs and their participants (PROTOCOL.md §8, docs/console-api.md "Groups"): make a
 * program a group, list, add, rename, suspend and reinstate participants, reveal and rotate each
 * participant's channel secret (the program's own secret code, keyed by the participant's channel).
 * Rights per role are in console-rights.ts.
 */
export function registerParticipantRoutes(authed: FastifyInstance, ctx: PlatformContext): void {
  const r = authed.withTypeProvider<TypeBoxTypeProvider>();

  /** Audit entries of participants go under their program (the organization's audit log reads those). */
  const audit = (
    request: FastifyRequest,
    program: Program,
    action: string,
    details: Record<string, unknown>,
  ) => {
    const actor = actorOf(request, operatorOf(request));
    return appendAudit(ctx.db, ctx.now(), {
      actorKind: actor.kind,
      actorId: actor.id,
      action,
      targetType: 'program',
      targetId: program.channelId,
      details,
      sourceAddress: actor.sourceAddress,
    });
  };

  r.post(
    '/programs/:channelId/group',
    {
      schema: {
        tags,
        security,
        summary: 'Make the program a group program (one-way; idempotent): participants can then be added',
        params: ChannelIdParams,
        body: NoBody,
        response: {
          200: OkEnvelope(ParticipantList),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      if (!(await isGroupProgram(ctx.db, program.channelId))) {
        await makeGroupProgram(ctx, program.channelId);
        await audit(request, program, 'program.group_made', {});
      }
      return successEnvelope(await participantList(program.channelId));
    },
  );

  r.get(
    '/programs/:channelId/participants',
    {
      schema: {
        tags,
        security,
        summary: 'Whether the program is a group program, and its participants (never their secrets)',
        params: ChannelIdParams,
        response: {
          200: OkEnvelope(ParticipantList),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      return successEnvelope(await participantList(program.channelId));
    },
  );

  r.post(
    '/programs/:channelId/participants',
    {
      schema: {
        tags,
        security,
        summary:
          'Add a participant (ACTIVE): issues its own channel id and channel secret (shown once here); 3004 when the program is no group program',
        params: ChannelIdParams,
        body: NewParticipantBody,
        response: {
          201: OkEnvelope(CreatedParticipant),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const { participant, channelSecret } = await createParticipant(
        ctx,
        program.channelId,
        request.body.name,
      );
      await audit(request, program, 'participant.added', { participantId: participant.participantId });
      reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .send(successEnvelope({ participant: await toConsoleParticipant(ctx, participant), channelSecret }));
    },
  );

  r.patch(
    '/programs/:channelId/participants/:participantId',
    {
      schema: {
        tags,
        security,
        summary: 'Rename a participant, or suspend (its channel answers 1102) or reinstate it',
        params: ParticipantParams,
        body: ParticipantPatchBody,
        response: {
          200: OkEnvelope(Type.Object({ participant: ConsoleParticipant })),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const before = await requireParticipant(ctx.db, program.channelId, request.params.participantId);
      const after = await updateParticipant(ctx, before, request.body);
      if (after.status !== before.status) {
        await audit(
          request,
          program,
          `participant.${after.status === 'SUSPENDED' ? 'suspended' : 'reinstated'}`,
          {
            participantId: after.participantId,
          },
        );
      }
      return successEnvelope({ participant: await toConsoleParticipant(ctx, after) });
    },
  );

  r.post(
    '/programs/:channelId/participants/:participantId/secret/reveal',
    {
      schema: {
        tags,
        security,
        summary: "Show the participant's current channel secret",
        params: ParticipantParams,
        body: NoBody,
        response: {
          200: OkEnvelope(SecretShown),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const participant = await requireParticipant(ctx.db, program.channelId, request.params.participantId);
      const shown = await revealChannelSecret(ctx, participant.channelId);
      await audit(request, program, 'participant.secret_revealed', {
        participantId: participant.participantId,
      });
      reply.header('cache-control', 'no-store');
      return successEnvelope(shown);
    },
  );

  r.post(
    '/programs/:channelId/participants/:participantId/secret/rotate',
    {
      schema: {
        tags,
        security,
        summary:
          'Issue a new channel secret for the participant; the previous one keeps working until previousExpiresAt',
        params: ParticipantParams,
        body: NoBody,
        response: {
          200: OkEnvelope(SecretRotated),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
        },
      },
    },
    async (request, reply) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const participant = await requireParticipant(ctx.db, program.channelId, request.params.participantId);
      const rotated = await rotateChannelSecret(ctx, participant.channelId, ctx.config.secretOverlap);
      await audit(request, program, 'participant.secret_rotated', {
        participantId: participant.participantId,
      });
      reply.header('cache-control', 'no-store');
      return successEnvelope(rotated);
    },
  );

  async function participantList(channelId: string) {
    const [group, participants] = await Promise.all([
      isGroupProgram(ctx.db, channelId),
      listParticipants(ctx.db, channelId),
    ]);
    return {
      group,
      participants: await Promise.all(participants.map((p) => toConsoleParticipant(ctx, p))),
    };
  }
}
