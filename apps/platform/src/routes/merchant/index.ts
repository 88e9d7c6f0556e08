import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { createMerchantAuth } from '../../merchant-auth/authenticate-merchant.js';
import { startJanitor } from '../../merchant-auth/janitor.js';
import { startWebhookDispatcher } from '../../webhooks/dispatch-webhooks.js';
import { registerMerchantApi } from './routes.js';

/**
 * Routes of the merchant area, all behind the HMAC hook (PROTOCOL.md §3), plus the area's
 * background work: the webhook outbox dispatcher (when config.webhookPollMs > 0) and the janitor
 * that purges old nonces, expired keys, sessions and reservations.
 */
export async function registerMerchantRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  await app.register(async (merchant) => {
    merchant.addHook('preValidation', createMerchantAuth(ctx));
    registerMerchantApi(merchant, ctx);
  });
  const stops: (() => Promise<void>)[] = [];
  app.addHook('onReady', async () => {
    const log = (err: unknown) => app.log.error({ err }, 'background job failed');
    if (ctx.config.webhookPollMs > 0) stops.push(startWebhookDispatcher(ctx, log));
    stops.push(startJanitor(ctx, log));
  });
  app.addHook('onClose', async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
}
