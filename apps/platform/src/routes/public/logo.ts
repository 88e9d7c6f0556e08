import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { getProgramLogo, logoVersion } from '../../programs/program-logo.js';

/**
 * `GET /v1/programs/{channelId}/logo[?v={version}]`: a program's logo, public (wallets show it on
 * cards). Served with the content type decided at upload by the image's own bytes, `nosniff`, a
 * locked-down CSP and a strong ETag. The wallet's URLs carry the logo's version (program-logo.ts
 * `logoPath`): asked for the current version, the answer may be cached for a year (immutable: a new
 * logo has a new URL); without a version or with an old one — an older wallet page, a merchant's
 * copy of the URL — it is the current logo with a short public cache lifetime (five minutes).
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
        querystring: Type.Object({
          v: Type.Optional(
            Type.String({ maxLength: 64, description: 'The logo version of the URL the platform gave out' }),
          ),
        }),
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
      const { v } = request.query as { v?: string };
      const logo = await getProgramLogo(ctx.db, channelId);
      if (!logo) throw fail('4004', 'logo_not_found');
      const current = v !== undefined && v === logoVersion(logo.updatedAt);
      reply
        .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
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
