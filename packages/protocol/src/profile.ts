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
  /** How many of the points expire at `pointsExpireAt`. */
  expiringPoints?: number;
  /** Monotonic per card: an update with a version not greater than the stored one is stale. */
  version: number;
}

/**
 * The fields of a profile an update may set or clear.
 *
 * @example
 * ```ts
 * const field: CardProfileField = 'points';
 * ```
 */
export type CardProfileField = Exclude<keyof CardProfile, 'version'>;

/**
 * A profile update as sent (PROTOCOL.md §6 v1.1): it **merges** into the stored profile — a field
 * absent from the update keeps its stored value, a field set to `null` is cleared.
 *
 * @example
 * ```ts
 * const update: CardProfileUpdate = { points: 1300, pointsExpireAt: null, version: 8 };
 * ```
 */
export interface CardProfileUpdate {
  displayName?: string | null;
  level?: string | null;
  points?: number | null;
  pointsExpireAt?: string | null;
  expiringPoints?: number | null;
  version: number;
}

const FIELDS: readonly CardProfileField[] = [
  'displayName',
  'level',
  'points',
  'pointsExpireAt',
  'expiringPoints',
];

/**
 * Merges an update into a stored profile (PROTOCOL.md §6): absent keeps, `null` clears, a value
 * replaces; the result carries the update's version and never a `null`.
 *
 * @example
 * ```ts
 * mergeCardProfile({ displayName: 'Hanako', points: 10, version: 1 }, { points: 20, version: 2 });
 * // → { displayName: 'Hanako', points: 20, version: 2 }
 * ```
 */
export function mergeCardProfile(stored: CardProfile | null, update: CardProfileUpdate): CardProfile {
  const merged: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const next = update[field];
    const value = next === undefined ? stored?.[field] : next;
    if (value !== undefined && value !== null) merged[field] = value;
  }
  merged.version = update.version;
  return merged as unknown as CardProfile;
}
