import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { imageResponses, SHORT_IMAGE_CACHE, sendImage } from '../../http/public-image.js';
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
        response: imageResponses(),
      },
    },
    async (request, reply) => {
      const { channelId } = request.params as { channelId: string };
      const { v } = request.query as { v?: string };
      const logo = await getProgramLogo(ctx.db, channelId);
      if (!logo) throw fail('4004', 'logo_not_found');
      const current = v !== undefined && v === logoVersion(logo.updatedAt);
      return sendImage(
        request,
        reply,
        logo,
        current ? 'public, max-age=31536000, immutable' : SHORT_IMAGE_CACHE,
      );
    },
  );
}
