import { createHash } from 'node:crypto';
import { BundleId } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getBundleBanner } from '../../bundles/bundle-repository.js';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';

/**
 * `GET /v1/bundles/{bundleId}/banner`: a bundle's banner, public like program logos (the wallet
 * page and shared links show it), served with the type decided at upload, `nosniff`, a locked-down
 * CSP, a strong ETag and a five-minute public cache.
 */
export function registerBundleBannerRoute(app: FastifyInstance, ctx: PlatformContext): void {
  app.get(
    '/v1/bundles/:bundleId/banner',
    {
      schema: {
        tags: ['public'],
        summary: "A campaign bundle's banner (PNG, JPEG or WebP)",
        params: Type.Object({ bundleId: BundleId }, { additionalProperties: false }),
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
      const { bundleId } = request.params as { bundleId: string };
      const banner = await getBundleBanner(ctx.db, bundleId);
      if (!banner) throw fail('4004', 'banner_not_found');
      const data = Buffer.from(banner.data_base64, 'base64');
      const etag = `"${createHash('sha256').update(data).digest('base64url').slice(0, 22)}"`;
      reply
        .header('cache-control', 'public, max-age=300')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'cross-origin');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.header('content-type', banner.content_type).send(data);
    },
  );
}
