import { MyCardError } from '@mycard/protocol';
import type { FastifyInstance } from 'fastify';
import type { MerchantContext } from '../context.js';
import { recordWebhookEvent } from '../links/record-webhook-event.js';

export const WEBHOOK_ROUTE = '/mycard/webhook';

/**
 * Platform webhooks (PROTOCOL.md §6): the raw body is kept for the HMAC check by the SDK; a
 * verified event is recorded once (by id) and answered 200 — repeats too, so the platform stops
 * retrying. A bad signature is 401 and changes nothing.
 */
export function registerWebhookRoute(app: FastifyInstance, ctx: MerchantContext): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, body),
    );
    scope.post<{ Body: string }>(WEBHOOK_ROUTE, async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';
      let event: Awaited<ReturnType<typeof ctx.platform.verifyWebhook>>;
      try {
        event = await ctx.platform.verifyWebhook({ headers: request.headers, rawBody });
      } catch (err) {
        request.log.warn({ reason: err instanceof MyCardError ? err.code : String(err) }, 'webhook refused');
        const status = err instanceof MyCardError && err.returnCode === '2101' ? 400 : 401;
        return reply
          .code(status)
          .send({ error: { code: status === 400 ? 'invalid_request' : 'unauthorized' } });
      }
      const fresh = await recordWebhookEvent(ctx, event, rawBody);
      request.log.info({ eventId: event.id, type: event.type, duplicate: !fresh }, 'webhook received');
      return reply.code(200).send({ received: true });
    });
  });
}
