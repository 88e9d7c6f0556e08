import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { registerBundleBannerRoute } from './bundle-banner.js';
import { registerJwksRoute } from './jwks.js';
import { registerLogoRoute } from './logo.js';
import { registerParticipantLogoRoute } from './participant-logo.js';
import { registerSdkRoute } from './sdk-route.js';

/** Unauthenticated routes: the platform's public keys, program logos, bundle banners and the merchant SDK tarball. */
export async function registerPublicRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  registerJwksRoute(app, ctx);
  registerLogoRoute(app, ctx);
  registerBundleBannerRoute(app, ctx);
  registerParticipantLogoRoute(app, ctx);
  registerSdkRoute(app);
}
