import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { getProgramLogo } from '../../programs/program-logo.js';

/**
 * `GET /v1/programs/{channelId}/logo`: a program's logo, public (wallets show it on cards). Served
 * with the content type decided at upload by the image's own bytes, `nosniff`, a locked-down CSP, a
 * strong ETag and a short public cache lifetime (a replaced logo shows within five minutes).
 */
export function registerLogoRoute(app: FastifyInstance, ctx: PlatformContext): void {
  app.get(
    '/v1/programs/:channelId/logo',
    {
      schema: {
        tags: ['public'],
        summary: "A program's logo (PNG, JPEG or WebP)",
        params: Type.Object(
          { channelId: Type.String({ pattern: '^[0-9]{10}$' }) },
          { additionalProperties: false },
        ),
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
      const { channelId } = request.params as { channelId: string };
      const logo = await getProgramLogo(ctx.db, channelId);
      if (!logo) throw fail('4004', 'logo_not_found');
      reply
        .header('cache-control', 'public, max-age=300')
        .header('etag', logo.etag)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        // Public asset: other origins (a merchant's page) may show it.
        .header('cross-origin-resource-policy', 'cross-origin');
      if (request.headers['if-none-match'] === logo.etag) return reply.code(304).send();
      return reply.header('content-type', logo.contentType).send(logo.data);
    },
  );
}
