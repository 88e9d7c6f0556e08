import { createHash } from 'node:crypto';
import type { FastifyInstance, onSendHookHandler } from 'fastify';

/**
 * Conditional GETs for the wallet's live card (PROTOCOL.md §11): a successful GET of a route whose
 * config says `etag: true` carries a weak `ETag` of its body, and a request whose `If-None-Match`
 * names it is answered `304 Not Modified` without a body. The wallet polls the open card and the
 * list every few seconds; an unchanged card then costs one small request and no body
 * (docs/protocol-notes.md, "Live card"). `Cache-Control: private, no-cache` lets no shared cache
 * keep a user's card.
 */
export function registerEtags(app: FastifyInstance): void {
  // Only the routes that ask for it get the hook: no onSend call on every other request (issue 10).
  app.addHook('onRoute', (route) => {
    if (!(route.config as { etag?: boolean } | undefined)?.etag) return;
    const own = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...own, etagOnSend];
  });
}

const etagOnSend: onSendHookHandler = async (request, reply, payload) => {
  if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
  reply.header('etag', etag);
  reply.header('cache-control', 'private, no-cache');
  const match = request.headers['if-none-match'];
  if (typeof match === 'string' && match.split(',').some((tag) => tag.trim() === etag)) {
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return '';
  }
  return payload;
};
