import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { successEnvelope } from '@mycard/protocol';
import { EmptyInfo, OkEnvelope, WebhookDeliveries } from '@mycard/wire';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponses } from '../../http/envelope-schemas.js';
import { fail } from '../../http/errors.js';
import { listWebhookDeliveries, resendWebhook } from '../../webhooks/webhook-deliveries.js';
import { loadOwnedProgram } from './console-auth.js';
import { ChannelIdParams } from './program-view.js';

const tags = ['console'];
const security = [{ consoleSession: [] }];
/** A program's recent webhook deliveries and "resend" (issue 9.4; docs/console-api.md). */
export function registerWebhookRoutes(authed: FastifyInstance, ctx: PlatformContext): void {
  const r = authed.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/programs/:channelId/webhooks',
    {
      schema: {
        tags,
        security,
        summary: "The program's 50 newest webhook events: attempts, last status, next retry",
        params: ChannelIdParams,
        response: {
          200: OkEnvelope(WebhookDeliveries),
          ...errorResponses('2101', '4001', '4003', '4004'),
        },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      return successEnvelope({ deliveries: await listWebhookDeliveries(ctx, program.channelId) });
    },
  );

  r.post(
    '/programs/:channelId/webhooks/:eventId/resend',
    {
      schema: {
        tags,
        security,
        summary: 'Send a webhook event again now (same event id: the merchant de-duplicates)',
        params: Type.Object(
          { ...ChannelIdParams.properties, eventId: Type.String({ pattern: '^evt_[A-Za-z0-9_-]{1,64}$' }) },
          { additionalProperties: false },
        ),
        response: { 200: OkEnvelope(EmptyInfo), ...errorResponses('2101', '2102', '4001', '4003', '4004') },
      },
    },
    async (request) => {
      const program = await loadOwnedProgram(ctx, request, request.params.channelId);
      if (!(await resendWebhook(ctx, program.channelId, request.params.eventId))) {
        throw fail('4004', 'webhook_event_not_found');
      }
      request.log.info({ channelId: program.channelId, eventId: request.params.eventId }, 'webhook resend');
      return successEnvelope({});
    },
  );
}
