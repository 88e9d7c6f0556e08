import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context.js';
import { registerConsoleRoutes } from './console/index.js';
import { registerMerchantRoutes } from './merchant/index.js';
import { registerOpsRoutes } from './ops/index.js';
import { registerPublicRoutes } from './public/index.js';
import { registerWalletRoutes } from './wallet/index.js';
import { registerWebRoutes } from './web/index.js';

/**
 * Every route area of the platform. Each area registers its routes, hooks and background workers
 * (started on `onReady`, stopped on `onClose`).
 */
export async function registerRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  await registerOpsRoutes(app, ctx);
  await registerPublicRoutes(app, ctx);
  await registerWalletRoutes(app, ctx);
  await registerMerchantRoutes(app, ctx);
  await registerConsoleRoutes(app, ctx);
  await registerWebRoutes(app, ctx);
}
