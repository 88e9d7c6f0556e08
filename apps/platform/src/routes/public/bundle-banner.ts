import { BundleId } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getBundleBanner } from '../../bundles/bundle-repository.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { imageResponses, sendImage } from '../../http/public-image.js';

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
        response: imageResponses(),
      },
    },
    async (request, reply) => {
      const { bundleId } = request.params as { bundleId: string };
      const banner = await getBundleBanner(ctx.db, bundleId);
      if (!banner) throw fail('4004', 'banner_not_found');
      const data = Buffer.from(banner.data_base64, 'base64');
      return sendImage(request, reply, { contentType: banner.content_type, data });
    },
  );
}
