import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../../context.js';
import { requirePlatformAdmin } from './admin-auth.js';
import { registerAdminBundleRoutes } from './admin-bundle-routes.js';
import { registerAdminProgramRoutes } from './admin-program-routes.js';
import { registerAdminReportRoutes } from './admin-report-routes.js';
import { registerAdminReviewRoutes } from './admin-review-routes.js';

/**
 * The platform administrators' API under `/v1/console/admin` (issue 14, PROTOCOL.md §7/§9), in
 * the console's authenticated scope (session, then same-origin guard) plus the platform-admin
 * check: 4001 without a session, 4003 for every operator who is not a platform administrator.
 */
export async function registerAdminRoutes(authed: FastifyInstance, ctx: PlatformContext): Promise<void> {
  await authed.register(
    async (admin) => {
      admin.addHook('onRequest', requirePlatformAdmin);
      registerAdminProgramRoutes(admin, ctx);
      registerAdminReviewRoutes(admin, ctx);
      registerAdminReportRoutes(admin, ctx);
      registerAdminBundleRoutes(admin, ctx);
    },
    { prefix: '/admin' },
  );
}
