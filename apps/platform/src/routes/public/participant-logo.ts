import { createHash } from 'node:crypto';
import { ParticipantId } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { getParticipantLogo } from '../../groups/participant-repository.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';

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
        response: {
          200: {
            description: 'The image bytes',
            content: {
              'image/png': { schema: Type.String({ format: 'binary' }) },
              'image/jpeg': { schema: Type.String({ format: 'binary' }) },
              'image/webp': { schema: Type.String({ format: 'binary' }) },
            },
          },
          304: { description: 'Not modified (If-None-Match)', type: 'null' },
          ...errorResponses('2101', '4004'),
        },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params as { participantId: string };
      const logo = await getParticipantLogo(ctx.db, participantId);
      if (!logo) throw fail('4004', 'logo_not_found');
      const etag = `"${createHash('sha256').update(logo.data).digest('base64url').slice(0, 22)}"`;
      reply
        .header('cache-control', 'public, max-age=300')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'cross-origin');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.header('content-type', logo.contentType).send(logo.data);
    },
  );
}
