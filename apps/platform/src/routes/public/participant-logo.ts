import { ParticipantId } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { getParticipantLogo } from '../../groups/participant-repository.js';
import { fail } from '../../http/errors.js';
import { imageResponses, sendImage } from '../../http/public-image.js';

/**
 * `GET /v1/participants/{participantId}/logo`: a group participant's logo, public (the wallet's "Use
 * this card at", PROTOCOL.md §8), served like a program's logo: the type decided at upload by the
 * bytes, `nosniff`, a locked-down CSP, a strong ETag, five minutes of public caching.
 */
export function registerParticipantLogoRoute(app: FastifyInstance, ctx: PlatformContext): void {
  app.get(
    '/v1/participants/:participantId/logo',
    {
      schema: {
        tags: ['public'],
        summary: "A group participant's logo (PNG, JPEG or WebP)",
        params: Type.Object({ participantId: ParticipantId }, { additionalProperties: false }),
        response: imageResponses(),
      },
    },
    async (request, reply) => {
      const { participantId } = request.params as { participantId: string };
      const logo = await getParticipantLogo(ctx.db, participantId);
      if (!logo) throw fail('4004', 'logo_not_found');
      return sendImage(request, reply, logo);
    },
  );
}
