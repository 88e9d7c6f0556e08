import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';

/**
 * `GET /metrics` in the Prometheus text format. Open by default (bind the platform to an internal
 * interface or filter at the proxy); with `metricsToken` set, it needs `Authorization: Bearer …`.
 */
export function registerMetricsRoute(app: FastifyInstance, ctx: PlatformContext): void {
  const token = ctx.config.metricsToken ? Buffer.from(`Bearer ${ctx.config.metricsToken}`) : undefined;
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics',
        response: {
          200: {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...errorResponses('4001'),
        },
      },
    },
    async (request, reply) => {
      if (token) {
        const sent = Buffer.from(request.headers.authorization ?? '');
        if (sent.length !== token.length || !timingSafeEqual(sent, token))
          throw fail('4001', 'metrics_token');
      }
      const registry = app.metricsRegistry;
      return reply
        .header('content-type', registry.contentType)
        .header('cache-control', 'no-store')
        .send(await registry.metrics());
    },
  );
}
