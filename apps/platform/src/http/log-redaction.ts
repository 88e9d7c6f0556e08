import { redactUrl } from '@mycard/protocol';
import type { FastifyRequest } from 'fastify';

export { redactUrl };

/** Pino serializer for requests: Fastify's default fields with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    remoteAddress: request.ip,
  };
}
