import type { WebhookEvent, WebhookEventType } from '@mycard/protocol';
import type { Transaction } from 'kysely';
import type { PlatformContext } from '../context.js';
import { randomToken } from '../crypto/tokens.js';
import type { Program } from '../programs/program-repository.js';
import type { Database } from '../store/schema.js';

/**
 * Puts a webhook event into the outbox inside the caller's transaction, so the event exists if
 * and only if the state change committed (docs/protocol-notes.md, "Webhooks"). Programs without
 * a webhook URL get no event.
 */
export async function enqueueWebhook(
  ctx: PlatformContext,
  trx: Transaction<Database>,
  program: Pick<Program, 'channelId' | 'webhookUrl'>,
  event: { type: WebhookEventType; data: WebhookEvent['data'] },
): Promise<void> {
  if (!program.webhookUrl) return;
  const now = ctx.now().toISOString();
  const body: WebhookEvent = {
    id: `evt_${randomToken(16)}`,
    type: event.type,
    createdAt: now,
    channelId: program.channelId,
    data: event.data,
  };
  await trx
    .insertInto('webhook_outbox')
    .values({
      event_id: body.id,
      channel_id: program.channelId,
      type: body.type,
      payload: JSON.stringify(body),
      attempts: 0,
      next_attempt_at: now,
      delivered_at: null,
      last_error: null,
      created_at: now,
      lease_owner: null,
      lease_until: null,
      last_status: null,
      last_attempt_at: null,
    })
    .execute();
}
