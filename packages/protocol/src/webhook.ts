/**
 * The webhook event types the platform sends to a merchant's webhook URL (PROTOCOL.md §6).
 *
 * @example
 * ```ts
 * if (WEBHOOK_EVENT_TYPES.includes(event.type)) handle(event);
 * ```
 */
export const WEBHOOK_EVENT_TYPES = ['card.completed', 'card.unbound'] as const;

/**
 * One of {@link WEBHOOK_EVENT_TYPES}.
 *
 * @example
 * ```ts
 * const type: WebhookEventType = 'card.unbound';
 * ```
 */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * A webhook delivery body. Deliveries are signed with the request-signature scheme
 * ({@link signRequest}; path = the pathname of the webhook URL, payload = the raw body) and
 * retried with backoff: de-duplicate on `id`.
 *
 * @example
 * ```ts
 * const event: WebhookEvent = {
 *   id: 'evt_01J…', type: 'card.completed', createdAt: '2025-01-01T00:00:00.000Z', channelId: '1234567890',
 *   data: { bindingId: 'b_Xk2…', membershipCode: '4901234567894' },
 * };
 * ```
 */
export interface WebhookEvent {
  /** Unique per event, stable across retries. */
  id: string;
  type: WebhookEventType;
  /** ISO-8601 UTC. */
  createdAt: string;
  channelId: string;
  data: {
    bindingId: string;
    membershipCode?: string;
    /** For `card.unbound`: why the card ended. */
    reason?: string;
  };
}
