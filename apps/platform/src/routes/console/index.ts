import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { createSameOriginGuard } from '../../http/csrf.js';
import { registerBundleBannerRoute } from './admin/bundle-banner-route.js';
import { registerAdminRoutes } from './admin/index.js';
import { registerBundleRoutes } from './bundle-routes.js';
import { createRequireOperator } from './console-auth.js';
import { registerLogoUploadRoute } from './logo-upload-route.js';
import { registerNoticeRoutes } from './notice-routes.js';
import { registerOrganizationRoutes } from './organization-routes.js';
import { registerParticipantLogoUploadRoute } from './participant-logo-upload-route.js';
import { registerParticipantRoutes } from './participant-routes.js';
import { registerPlatformKeyRoute } from './platform-key-route.js';
import { registerProgramAdminRoutes } from './program-admin-routes.js';
import { registerProgramRoutes } from './program-routes.js';
import { registerMeRoute, registerSessionRoutes } from './session-routes.js';
import { registerWebhookRoutes } from './webhook-routes.js';

/**
 * The console API under `/v1/console` (PROTOCOL.md §7, docs/console-api.md). Four scopes:
 * sign-up/sign-in (CSRF guard, no session), the JSON API (session, then CSRF guard), and the logo
 * and bundle-banner uploads (session, image parsers, larger body limits). Every state-changing call passes the
 * same-origin guard; every call but sign-up/sign-in/sign-out needs the `mycard_console` cookie.
 */
export async function registerConsoleRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  const sameOriginJson = createSameOriginGuard(ctx.config.publicUrl);
  const requireOperator = createRequireOperator(ctx);
  await app.register(
    async (console) => {
      console.decorateRequest('consoleOperator', null);
      await console.register(async (open) => {
        open.addHook('onRequest', sameOriginJson);
        registerSessionRoutes(open, ctx);
      });
      await console.register(async (authed) => {
        authed.addHook('onRequest', requireOperator);
        authed.addHook('onRequest', sameOriginJson);
        registerMeRoute(authed);
        registerProgramRoutes(authed, ctx);
        registerProgramAdminRoutes(authed, ctx);
        registerPlatformKeyRoute(authed, ctx);
        registerWebhookRoutes(authed, ctx);
        registerNoticeRoutes(authed, ctx);
        await registerAdminRoutes(authed, ctx);
        registerOrganizationRoutes(authed, ctx);
        registerBundleRoutes(authed, ctx);
        registerParticipantRoutes(authed, ctx);
      });
      await console.register(async (upload) => {
        upload.addHook('onRequest', requireOperator);
        await registerLogoUploadRoute(upload, ctx);
        registerParticipantLogoUploadRoute(upload, ctx);
      });
      await console.register(async (banner) => {
        banner.addHook('onRequest', requireOperator);
        await registerBundleBannerRoute(banner, ctx);
      });
    },
    { prefix: '/v1/console' },
  );
}
