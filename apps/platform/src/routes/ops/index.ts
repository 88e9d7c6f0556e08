import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { registerHealthRoutes } from './health-routes.js';
import { startKeyRefresh } from './key-refresh.js';
import { registerMetricsRoute } from './metrics-route.js';
import { registerOpenApiRoute } from './openapi-route.js';

/** Operations: health and readiness probes, Prometheus metrics, the OpenAPI document, key refresh. */
export async function registerOpsRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  registerHealthRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
  registerOpenApiRoute(app);
  startKeyRefresh(app, ctx);
}
