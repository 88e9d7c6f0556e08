import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { createSameOriginGuard } from '../../http/csrf.js';
import { createWalletAuth } from '../../wallet/wallet-session.js';
import { registerBindingRoutes } from './bindings.js';
import { registerBundleRoutes } from './bundles.js';
import { registerCardRoutes } from './cards.js';
import { registerInboxRoutes } from './inbox.js';
import { registerReportRoute } from './reports.js';
import { registerSessionCreation, registerSessionInfo } from './session.js';

/**
 * Routes of the wallet area (PROTOCOL.md §4.1, §4.7, §5). Every state-changing call passes the
 * same-origin guard (4003); all but session creation need a wallet session (4001). Both run on
 * `onRequest`, before the body is read, so an unauthenticated caller cannot make us parse it.
 */
export async function registerWalletRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  const sameOrigin = createSameOriginGuard(ctx.config.publicUrl);
  await app.register(async (open) => {
    open.addHook('onRequest', sameOrigin);
    registerSessionCreation(open, ctx);
  });
  await app.register(async (signedIn) => {
    signedIn.addHook('onRequest', sameOrigin);
    signedIn.addHook('onRequest', createWalletAuth(ctx));
    registerSessionInfo(signedIn, ctx);
    registerBindingRoutes(signedIn, ctx);
    registerCardRoutes(signedIn, ctx);
    registerReportRoute(signedIn, ctx);
    registerInboxRoutes(signedIn, ctx);
    registerBundleRoutes(signedIn, ctx);
  });
}
