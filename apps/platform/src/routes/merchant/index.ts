import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { UNAUTHENTICATED_CHANNEL } from '../../figures/api-call-recorder.js';
import { createMerchantAuth, settleMerchantNonce } from '../../merchant-auth/authenticate-merchant.js';
import { startJanitor } from '../../merchant-auth/janitor.js';
import { startWebhookDispatcher } from '../../webhooks/dispatch-webhooks.js';
import { returnCodeOf } from '../ops/metrics.js';
import { registerMerchantApi } from './routes.js';

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

/**
 * POST bodies are `application/json`; another or a missing content type is 415 / 2101, checked
 * before the signature (PROTOCOL.md §3, v1.1), so a correctly signed request with a wrong content
 * type is never reported as a signature failure, and its nonce is not used up.
 */
async function requireJsonContentType(request: FastifyRequest): Promise<void> {
  if (request.method !== 'POST') return;
  if (JSON_CONTENT_TYPE.test(request.headers['content-type'] ?? '')) return;
  throw Object.assign(new Error('POST bodies are application/json'), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

/**
 * Routes of the merchant area, all behind the HMAC hook (PROTOCOL.md §3), plus the area's
 * background work: the webhook outbox dispatcher (when config.webhookPollMs > 0) and the janitor
 * that purges old nonces, expired keys, sessions and reservations.
 */
export async function registerMerchantRoutes(app: FastifyInstance, ctx: PlatformContext): Promise<void> {
  await app.register(async (merchant) => {
    merchant.addHook('onRequest', requireJsonContentType);
    merchant.addHook('preValidation', createMerchantAuth(ctx));
    // A call refused after the HMAC hook deferred its nonce to the step (`nonceInStep`) stores the
    // nonce before the refusal is answered (1108 instead when it was used meanwhile); the
    // platform's error handler then writes the envelope.
    merchant.setErrorHandler(async (err, request) => {
      throw await settleMerchantNonce(request, err);
    });
    // Every merchant call is counted by channel and returnCode for the platform's figures.
    merchant.addHook('onSend', async (request, reply, payload) => {
      // A step that deferred its nonce and answered without storing it would let a replay in.
      if (request.merchantNonce && !request.merchantNonce.settled && reply.statusCode < 400)
        throw new Error(`${request.routeOptions.url}: the step did not store the call's nonce`);
      const channelId = request.merchantProgram?.channelId ?? UNAUTHENTICATED_CHANNEL;
      ctx.apiCalls.record(channelId, returnCodeOf(payload), ctx.now());
      return payload;
    });
    registerMerchantApi(merchant, ctx);
  });
  const stops: (() => Promise<void>)[] = [];
  app.addHook('onReady', async () => {
    const log = (err: unknown) => app.log.error({ err }, 'background job failed');
    if (ctx.config.webhookPollMs > 0) stops.push(startWebhookDispatcher(ctx, log));
    stops.push(startJanitor(ctx, log));
    stops.push(ctx.apiCalls.start());
  });
  app.addHook('onClose', async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
}
