/**
 * The webhook event types the platform sends to a merchant's webhook URL (PROTOCOL.md §6 v1.1):
 * a card became ACTIVE (`card.completed`) or ended (`card.unbound`); a binding that never became a
 * card was cancelled — the member cancelled, failed or was refused (`binding.cancelled`) — or ran
 * out of time (`binding.expired`).
 *
 * @example
 * ```ts
 * if (WEBHOOK_EVENT_TYPES.includes(event.type)) handle(event);
 * ```
 */
export const WEBHOOK_EVENT_TYPES = [
  'card.completed',
  'card.unbound',
  'binding.cancelled',
  'binding.expired',
] as const;

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
    /**
     * Why it ended: for `card.unbound` who ended it (`user`, `merchant`); for `binding.cancelled`
     * `merchant_cancel`, `merchant_fail`, `wallet_cancel`, `wallet_fail`, `foreign_completion`,
     * `card_already_held` or `superseded`; for `binding.expired` `reservation_expired` or
     * `completion_expired`.
     */
    reason?: string;
  };
}
