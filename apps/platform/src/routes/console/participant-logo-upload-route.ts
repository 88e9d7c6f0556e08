import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { OkEnvelope } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import {
  participantLogoPath,
  requireParticipant,
  saveParticipantLogo,
} from '../../groups/participant-repository.js';
import { createSameOriginGuard } from '../../http/csrf.js';
import { errorResponse, errorResponses } from '../../http/envelope-schemas.js';
import { LOGO_MAX_BYTES, LOGO_TYPES } from '../../programs/program-logo.js';
import { loadOwnedProgram } from './console-auth.js';
import { checkedImage, imageTypeOnly } from './logo-upload-route.js';
import { ParticipantParams } from './participant-routes.js';

/**
 * `PUT /v1/console/programs/{channelId}/participants/{participantId}/logo` (PROTOCOL.md §8): the
 * participant's logo as the raw body, under the program logo's rules (PNG, JPEG or WebP by content,
 * at most 512 KiB). Registered in the upload scope (its image parsers and body limit). A
 * participant's logo is not reviewed: the group's organization already answers for its program.
 */
export function registerParticipantLogoUploadRoute(scope: FastifyInstance, ctx: PlatformContext): void {
  const sameOrigin = createSameOriginGuard(ctx.config.publicUrl, LOGO_TYPES);
  scope.withTypeProvider<TypeBoxTypeProvider>().put(
    '/programs/:channelId/participants/:participantId/logo',
    {
      bodyLimit: LOGO_MAX_BYTES,
      onRequest: [imageTypeOnly, sameOrigin],
      schema: {
        tags: ['console', 'groups'],
        security: [{ consoleSession: [] }],
        summary: "Upload a participant's logo (raw image/png, image/jpeg or image/webp body, ≤ 512 KiB)",
        params: ParticipantParams,
        body: {
          content: Object.fromEntries(
            LOGO_TYPES.map((type) => [type, { schema: { description: `${type} bytes, at most 512 KiB` } }]),
          ),
        },
        response: {
          200: OkEnvelope(
            Type.Object({ logoUrl: Type.String(), contentType: Type.String(), bytes: Type.Integer() }),
          ),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
          415: errorResponse(
            ['2101'],
            '2101: unsupported media type, or the bytes are not the declared image type.',
          ),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const participant = await requireParticipant(ctx.db, program.channelId, request.params.participantId);
      const { contentType, body } = checkedImage(request);
      await saveParticipantLogo(ctx, participant.participantId, contentType, body);
      return successEnvelope({
        logoUrl: participantLogoPath(participant.participantId),
        contentType,
        bytes: body.length,
      });
    },
  );
}
