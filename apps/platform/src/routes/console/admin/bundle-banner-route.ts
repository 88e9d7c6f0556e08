import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { BUNDLE_BANNER_MAX_BYTES, ConsoleBundle, OkEnvelope } from '@mycard/wire';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../../audit/actor.js';
import { getConsoleBundle, saveBundleBanner } from '../../../bundles/bundle-repository.js';
import type { PlatformContext } from '../../../context.js';
import { createSameOriginGuard } from '../../../http/csrf.js';
import { errorResponse, errorResponses } from '../../../http/envelope-schemas.js';
import { fail } from '../../../http/errors.js';
import type { RefusalReason } from '../../../http/refusal-reasons.js';
import { LOGO_TYPES, type LogoType, sniffImageType } from '../../../programs/program-logo.js';
import { operatorOf } from '../console-auth.js';
import { requirePlatformAdmin } from './admin-auth.js';
import { BundleIdParams } from './admin-bundle-routes.js';
import { security, tags } from './admin-schemas.js';

function mediaType(request: FastifyRequest): string {
  const [type = ''] = (request.headers['content-type'] ?? '').split(';', 1);
  return type.trim().toLowerCase();
}

/** 2101 with HTTP 415 (the image type), as for logos. */
function unsupported(reason: RefusalReason<'2101'>) {
  return Object.assign(fail('2101', reason), { status: 415 });
}

/**
 * `PUT /v1/console/admin/bundles/{bundleId}/banner` with the image as the raw body (PROTOCOL.md §9:
 * the logo rules, at most 1 MiB → 413 / 2102): PNG, JPEG or WebP decided by the bytes; a body whose
 * signature does not match its declared type is 415 / 2101. In its own scope (the image parsers and
 * the larger body limit apply here only); the platform-admin check runs first, before the body.
 */
export async function registerBundleBannerRoute(scope: FastifyInstance, ctx: PlatformContext): Promise<void> {
  for (const type of LOGO_TYPES) {
    scope.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: BUNDLE_BANNER_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
  }
  const sameOrigin = createSameOriginGuard(ctx.config.publicUrl, LOGO_TYPES);
  const imageTypeOnly = async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!(LOGO_TYPES as readonly string[]).includes(mediaType(request)))
      throw unsupported('banner_media_type');
  };
  scope.withTypeProvider<TypeBoxTypeProvider>().put(
    '/admin/bundles/:bundleId/banner',
    {
      bodyLimit: BUNDLE_BANNER_MAX_BYTES,
      onRequest: [requirePlatformAdmin, imageTypeOnly, sameOrigin],
      schema: {
        tags,
        security,
        summary: "Upload the bundle's banner (raw image/png, image/jpeg or image/webp body, ≤ 1 MiB)",
        params: BundleIdParams,
        body: {
          content: Object.fromEntries(
            LOGO_TYPES.map((type) => [type, { schema: { description: `${type} bytes, at most 1 MiB` } }]),
          ),
        },
        response: {
          200: OkEnvelope(Type.Object({ bundle: ConsoleBundle })),
          ...errorResponses('2101', '2102', '4001', '4003', '4004'),
          415: errorResponse(
            ['2101'],
            '2101: unsupported media type, or the bytes are not the declared image type.',
          ),
        },
      },
    },
    async (request) => {
      const body = request.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0) throw unsupported('banner_empty');
      const declared = mediaType(request) as LogoType;
      if (sniffImageType(body) !== declared) throw unsupported('banner_content_mismatch');
      const { bundleId } = request.params;
      await saveBundleBanner(ctx, actorOf(request, operatorOf(request)), bundleId, declared, body);
      return successEnvelope({ bundle: await getConsoleBundle(ctx, bundleId) });
    },
  );
}
