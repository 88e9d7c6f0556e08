import type { WebhookDelivery } from '@mycard/wire';
import type { PlatformContext } from '../context.js';

const ABANDONED_AT = '9999';

/** A program's newest outbox events (at most `limit`), newest first. */
export async function listWebhookDeliveries(
  ctx: PlatformContext,
  channelId: string,
  limit = 50,
): Promise<WebhookDelivery[]> {
  const rows = await ctx.db
    .selectFrom('webhook_outbox')
    .selectAll()
    .where('channel_id', '=', channelId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const state = r.delivered_at
      ? 'delivered'
      : r.next_attempt_at.startsWith(ABANDONED_AT)
        ? 'abandoned'
        : 'pending';
    return {
      eventId: r.event_id,
      type: r.type,
      createdAt: r.created_at,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      lastAttemptAt: r.last_attempt_at,
      deliveredAt: r.delivered_at,
      nextAttemptAt: state === 'pending' ? r.next_attempt_at : null,
      state,
    };
  });
}

/**
 * Queues event `eventId` of `channelId` for another attempt now, with the same event id (the
 * merchant de-duplicates by it), whether it was delivered, pending or abandoned. Returns false when
 * the event is unknown for this channel. An attempt in flight keeps its lease; the resend follows it.
 */
export async function resendWebhook(
  ctx: PlatformContext,
  channelId: string,
  eventId: string,
): Promise<boolean> {
  const result = await ctx.db
    .updateTable('webhook_outbox')
    .set({ delivered_at: null, next_attempt_at: ctx.now().toISOString() })
    .where('channel_id', '=', channelId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
