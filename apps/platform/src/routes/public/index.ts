import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { registerJwksRoute } from './jwks.js';
import { registerLogoRoute } from './logo.js';

/** Unauthenticated routes: the platform's public keys and program logos. */
export async function registerPublicRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  registerJwksRoute(app, ctx);
  registerLogoRoute(app, ctx);
}
