import type { FastifyInstance } from 'fastify';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document generated from the route schemas (the same
 * schemas that validate and serialize), next to the UI at `/docs`.
 */
export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(app.swagger()),
  );
}
