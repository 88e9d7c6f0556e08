/**
 * Table types of the merchant database (Kysely). Times are ISO-8601 UTC strings on both dialects
 * so that one repository body runs on SQLite and PostgreSQL and sorts lexicographically.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface MembersTable {
  id: Generated<number>;
  /** Lower-cased e-mail, or null when the member signed up with a phone number. */
  email: string | null;
  /** Digits with an optional leading +, or null. */
  phone: string | null;
  password_hash: string;
  display_name: string;
  /** Unique, valid for the program's code type. */
  membership_code: string;
  created_at: string;
}

export interface OperatorsTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  display_name: string;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 (base64url) of the cookie value; the cookie itself is never stored. */
  id_hash: string;
  kind: 'member' | 'operator';
  subject_id: number;
  created_at: string;
  expires_at: string;
  /** The store a till signed in to (a group's shop, PROTOCOL.md §8); null otherwise. */
  store_id: string | null;
}

/** One row per member; the balance is the sum of the member's ledger entries. */
export interface BalancesTable {
  member_id: number;
  points: number;
  /** Accrued minus reversed points (a running total; the card's level comes from `member_tiers`). */
  lifetime_points: number;
  /** Id of the member's latest ledger entry (0 before the first): the wallet profile version. */
  version: number;
  updated_at: string;
  /**
   * Running aggregates (migration 0006), written with the balance by every entry: the soonest
   * expiring open lot (`expiry_points` null: not known yet) and the tier's rolling spend — the spend
   * of the sales made at or after `tier_since` (null: not known yet), the earliest of those sales
   * (`tier_next_out`) and the tier it gave (as `member_tiers` holds it).
   */
  expiry_at: ColumnType<string | null, string | null | undefined, string | null>;
  expiry_points: ColumnType<number | null, number | null | undefined, number | null>;
  tier: ColumnType<string | null, string | null | undefined, string | null>;
  tier_since: ColumnType<string | null, string | null | undefined, string | null>;
  tier_spend: ColumnType<number | null, number | null | undefined, number | null>;
  tier_next_out: ColumnType<string | null, string | null | undefined, string | null>;
}

export type EntryKind = 'accrue' | 'redeem' | 'reverse' | 'expire';

/** Append-only: triggers refuse UPDATE and DELETE on both dialects. */
export interface LedgerEntriesTable {
  id: Generated<number>;
  member_id: number;
  kind: EntryKind;
  /** Signed change of the balance. */
  points: number;
  /** Purchase amount (accrue) or refunded amount (reverse); null for redeem. */
  amount: number | null;
  currency: string | null;
  order_id: string;
  /** `accrue:<orderId>`, `redeem:<orderId>` or `reverse:<orderId>/<refundId>`; unique. */
  idempotency_key: string;
  /** SHA-256 of the canonical request: same key + other fingerprint = conflict. */
  fingerprint: string;
  /** For reversals and expiries: the accrual entry (the lot) they take points back from. */
  reverses_entry_id: number | null;
  balance_after: number;
  /** How the member was identified: membership code or wallet one-time key. */
  source: 'membership_code' | 'one_time_key' | 'order' | 'expiry';
  operator_id: number | null;
  created_at: string;
  /** The store it was made at (a group's shop, PROTOCOL.md §8); null for a shop without stores. */
  store_id: string | null;
}

export type LinkState = 'applying' | 'applied' | 'active' | 'failed' | 'unbound' | 'cancelled' | 'expired';

/** The member's link to a My Card wallet card (one row per binding). */
export interface WalletLinksTable {
  binding_id: string;
  member_id: number;
  /** Pairwise wallet-user id from the binding token. */
  subject: string;
  state: LinkState;
  created_at: string;
  updated_at: string;
  unbound_reason: string | null;
}

export type OutboxState = 'pending' | 'delivered' | 'superseded' | 'dead';

/** Transactional outbox of card-profile updates for the platform. */
export interface ProfileOutboxTable {
  id: Generated<number>;
  binding_id: string;
  member_id: number;
  version: number;
  points: number;
  level: string | null;
  /** The soonest lot's expiry and points; null = none (cleared on the card). */
  points_expire_at: string | null;
  expiring_points: number | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  /** Until when a worker holds the row (ISO time); null when no worker holds it. */
  lease_until: string | null;
  /** Which worker holds (or last held) the row: `<hostname>:<pid>:<random>`. */
  leased_by: string | null;
}

export interface WebhookEventsTable {
  event_id: string;
  type: string;
  binding_id: string;
  received_at: string;
  body: string;
}

/** A lot: the points one accrual earned, with their expiry. Append-only. */
export interface PointLotsTable {
  /** The accrual entry's id. */
  id: number;
  member_id: number;
  points: number;
  /** Null: the lot never expires. */
  expires_at: string | null;
  created_at: string;
}

/** Points an entry (redeem, reverse, expire) took from a lot. Append-only. */
export interface LotUsesTable {
  entry_id: number;
  lot_id: number;
  points: number;
}

/** A reversal that could not take back all it should have (the points were used or expired). */
export interface ReversalShortfallsTable {
  entry_id: number;
  points: number;
}

/** The member's current tier and the qualifying spend it was computed from. */
export interface MemberTiersTable {
  member_id: number;
  tier: string | null;
  spend: number;
  updated_at: string;
}

export type MessageState = 'pending' | 'sent' | 'dead';

/** Card messages for the platform (SDK sendMessage), idempotent by message id. */
export interface MessageOutboxTable {
  message_id: string;
  binding_id: string;
  member_id: number;
  title: string;
  body: string;
  state: MessageState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** One claim per job run (e.g. the expiry job of one day): who runs it, until when. */
export interface JobClaimsTable {
  job: string;
  run_key: string;
  owner: string;
  claimed_until: string;
  finished_at: string | null;
}

export interface Database {
  members: MembersTable;
  operators: OperatorsTable;
  sessions: SessionsTable;
  balances: BalancesTable;
  ledger_entries: LedgerEntriesTable;
  wallet_links: WalletLinksTable;
  profile_outbox: ProfileOutboxTable;
  webhook_events: WebhookEventsTable;
  point_lots: PointLotsTable;
  lot_uses: LotUsesTable;
  reversal_shortfalls: ReversalShortfallsTable;
  member_tiers: MemberTiersTable;
  message_outbox: MessageOutboxTable;
  job_claims: JobClaimsTable;
  spent_one_time_keys: { key_hash: string; idempotency_key: string; created_at: string };
}

export type Member = Selectable<MembersTable>;
export type Operator = Selectable<OperatorsTable>;
export type LedgerEntry = Selectable<LedgerEntriesTable>;
export type NewLedgerEntry = Insertable<LedgerEntriesTable>;
export type WalletLink = Selectable<WalletLinksTable>;
export type OutboxRow = Selectable<ProfileOutboxTable>;
export type PointLot = Selectable<PointLotsTable>;
