import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from './envelope-schemas.js';

/** A stored image's strong validator for conditional GETs: a hash of its bytes. */
export function imageEtag(data: Buffer): string {
  return `"${createHash('sha256').update(data).digest('base64url').slice(0, 22)}"`;
}

/** Five minutes of public caching: what a public image's URL gets unless it names a version. */
export const SHORT_IMAGE_CACHE = 'public, max-age=300';

/** The responses of a public image route (program logo, participant logo, bundle banner). */
export function imageResponses() {
  return {
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
  };
}

/**
 * Serves a stored image publicly: the content type decided at upload by the image's own bytes,
 * `nosniff`, a locked-down CSP, a strong ETag (304 when `If-None-Match` names it) and
 * `cross-origin` resource policy — other origins (a merchant's page) may show it.
 */
export function sendImage(
  request: FastifyRequest,
  reply: FastifyReply,
  image: { contentType: string; data: Buffer; etag?: string },
  cacheControl: string = SHORT_IMAGE_CACHE,
): FastifyReply {
  const etag = image.etag ?? imageEtag(image.data);
  reply
    .header('cache-control', cacheControl)
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cross-origin-resource-policy', 'cross-origin');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.header('content-type', image.contentType).send(image.data);
}
