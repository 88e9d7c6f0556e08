/**
 * What the wallet shows on a card, set by the merchant on Apply or with `POST /v1/cards/profile`
 * (PROTOCOL.md §4 step 5, §6). `version` must grow with every update (3008 otherwise).
 *
 * @example
 * ```ts
 * const profile: CardProfile = { displayName: 'Hanako', level: 'Gold', points: 1200, pointsExpireAt: '2026-03-31T14:59:59Z', version: 7 };
 * ```
 */
export interface CardProfile {
  displayName?: string;
  level?: string;
  points?: number;
  /** ISO-8601 UTC. */
  pointsExpireAt?: string;
  /** Monotonic per card: an update with a version not greater than the stored one is stale. */
  version: number;
}
