import type { BindingState, ProgramStatus } from '@mycard/wire';
import type { Generated } from 'kysely';

export type { BindingState, ProgramStatus };

/**
 * Table types of the platform database. Times are ISO-8601 UTC strings on both dialects (TEXT in
 * SQLite, TEXT in PostgreSQL) so that one repository body runs on both and compares lexically.
 * Binary data (logos) is stored as base64 text for the same reason.
 */
export interface Database {
  operators: OperatorTable;
  operator_sessions: SessionTable & { operator_id: string };
  wallet_users: WalletUserTable;
  wallet_sessions: SessionTable & { user_id: string };
  programs: ProgramTable;
  program_secrets: ProgramSecretTable;
  program_testers: { channel_id: string; user_id: string; created_at: string };
  program_logos: { channel_id: string; content_type: string; data_base64: string; updated_at: string };
  bindings: BindingTable;
  merchant_nonces: { channel_id: string; nonce: string; created_at: string };
  one_time_keys: OneTimeKeyTable;
  one_time_key_uses: {
    key_hash: string;
    channel_id: string;
    created_at: string;
    /** The card the key resolved to for this channel (a retry answers the same). */
    binding_id: string | null;
  };
  webhook_outbox: WebhookOutboxTable;
  background_leases: { name: string; owner: string; lease_until: string };
}

export interface OperatorTable {
  id: string;
  email: string;
  password_hash: string;
  display_name: string;
  created_at: string;
}

export interface SessionTable {
  /** SHA-256 (base64url) of the cookie value: a stolen database holds no usable session. */
  id_hash: string;
  expires_at: string;
  created_at: string;
}

export interface WalletUserTable {
  id: string;
  display_name: string;
  created_at: string;
}

export interface ProgramTable {
  channel_id: string;
  operator_id: string | null;
  name: string;
  code_type: string;
  binding_url: string;
  webhook_url: string | null;
  status: ProgramStatus;
  /** JSON: {background, foreground}. */
  colors: string;
  /** JSON: {kind:'template', description, benefits, terms, contact, links} | {kind:'custom', url}. */
  detail: string;
  created_at: string;
  updated_at: string;
}

export interface ProgramSecretTable {
  id: Generated<number>;
  channel_id: string;
  /** AES-256-GCM ciphertext of the 64-hex-char secret under the master key. */
  secret_enc: string;
  created_at: string;
  /** Null while current; set to the end of the overlap when rotated out. */
  expires_at: string | null;
}

export interface BindingTable {
  id: string;
  channel_id: string;
  user_id: string;
  state: BindingState;
  nonce: string;
  callback: string;
  /** SHA-256 of the reservation cookie of the browser that reserved. */
  browser_hash: string;
  membership_code: string | null;
  completion_hash: string | null;
  completion_expires_at: string | null;
  /** JSON CardProfile or null. */
  profile: string | null;
  profile_version: number | null;
  created_at: string;
  expires_at: string;
  applied_at: string | null;
  completed_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
}

export interface OneTimeKeyTable {
  key_hash: string;
  user_id: string;
  expires_at: string;
  created_at: string;
}

export interface WebhookOutboxTable {
  id: Generated<number>;
  event_id: string;
  channel_id: string;
  type: string;
  payload: string;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string | null;
  created_at: string;
  /** The instance delivering it now, until `lease_until` (null when not claimed). */
  lease_owner: string | null;
  lease_until: string | null;
  /** HTTP status of the last attempt (null: none yet, or no response). */
  last_status: number | null;
  last_attempt_at: string | null;
}
