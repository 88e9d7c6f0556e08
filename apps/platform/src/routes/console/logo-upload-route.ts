import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { OkEnvelope } from '@mycard/wire';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../audit/actor.js';
import type { PlatformContext } from '../../context.js';
import { createSameOriginGuard } from '../../http/csrf.js';
import { errorResponse, errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import type { RefusalReason } from '../../http/refusal-reasons.js';
import {
  LOGO_MAX_BYTES,
  LOGO_TYPES,
  type LogoType,
  logoPath,
  sniffImageType,
} from '../../programs/program-logo.js';
import { saveLogoChange } from '../../programs/review/save-program-changes.js';
import { loadOwnedProgram, operatorOf } from './console-auth.js';
import { ChannelIdParams } from './program-view.js';

export function mediaType(request: FastifyRequest): string {
  const [type = ''] = (request.headers['content-type'] ?? '').split(';', 1);
  return type.trim().toLowerCase();
}

/**
 * `PUT /v1/console/programs/{channelId}/logo` with the image as the raw body (PROTOCOL.md §7):
 * PNG, JPEG or WebP, at most 512 KiB (413 / 2102). The type is decided by the bytes: a body whose
 * signature does not match its declared Content-Type is refused (415 / 2101). Registered in its own
 * scope so the image parsers and the larger body limit apply to this route only.
 */
export async function registerLogoUploadRoute(scope: FastifyInstance, ctx: PlatformContext): Promise<void> {
  for (const type of LOGO_TYPES) {
    scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: LOGO_MAX_BYTES }, (_req, body, done) =>
      done(null, body),
    );
  }
  const sameOrigin = createSameOriginGuard(ctx.config.publicUrl, LOGO_TYPES);

  scope.withTypeProvider<TypeBoxTypeProvider>().put(
    '/programs/:channelId/logo',
    {
      bodyLimit: LOGO_MAX_BYTES,
      onRequest: [imageTypeOnly, sameOrigin],
      schema: {
        tags: ['console'],
        security: [{ consoleSession: [] }],
        summary: 'Upload the program logo (raw image/png, image/jpeg or image/webp body, ≤ 512 KiB)',
        params: ChannelIdParams,
        // Documents the raw image body; the bytes themselves are checked in the handler.
        body: {
          content: Object.fromEntries(
            LOGO_TYPES.map((type) => [type, { schema: { description: `${type} bytes, at most 512 KiB` } }]),
          ),
        },
        response: {
          200: OkEnvelope(
            Type.Object({
              logoUrl: Type.String(),
              contentType: Type.String(),
              bytes: Type.Integer(),
              /** True when the logo waits in the LIVE program's pending revision (review required). */
              pendingReview: Type.Boolean(),
            }),
          ),
          ...errorResponses('2101', '2102', '3004', '4001', '4003', '4004'),
          415: errorResponse(
            ['2101'],
            '2101: unsupported media type, or the bytes are not the declared image type.',
          ),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      const { contentType: declared, body } = checkedImage(request);
      const outcome = await saveLogoChange(
        ctx,
        actorOf(request, operatorOf(request)),
        program,
        declared,
        body,
      );
      return successEnvelope({
        logoUrl: logoPath(program.channelId),
        contentType: declared,
        bytes: body.length,
        pendingReview: outcome === 'pending',
      });
    },
  );
}

/** Unsupported media types get 415 before the CSRF content-type rule could answer 4003. */
export async function imageTypeOnly(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!(LOGO_TYPES as readonly string[]).includes(mediaType(request))) throw unsupported('logo_media_type');
}

/**
 * The uploaded image of a logo route: non-empty, and its bytes are the declared type (415 / 2101
 * otherwise). Program and participant logos (PROTOCOL.md §7, §8) take the same checks.
 */
export function checkedImage(request: FastifyRequest): { contentType: LogoType; body: Buffer } {
  const body = request.body as unknown;
  if (!Buffer.isBuffer(body) || body.length === 0) throw unsupported('logo_empty');
  const declared = mediaType(request) as LogoType;
  if (sniffImageType(body) !== declared) throw unsupported('logo_content_mismatch');
  return { contentType: declared, body };
}

/** 2101 with HTTP 415: the one place the console answers a 2101 with a status other than 400. */
function unsupported(reason: RefusalReason<'2101'>) {
  return Object.assign(fail('2101', reason), { status: 415 });
}
