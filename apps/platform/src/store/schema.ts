import type { BindingState, BundleMemberState, OrganizationRole, ProgramStatus } from '@mycard/wire';
import type { Generated } from 'kysely';

export type { BindingState, BundleMemberState, OrganizationRole, ProgramStatus };

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
  program_logos: {
    channel_id: string;
    content_type: string;
    data_base64: string;
    updated_at: string;
    /** 64-bit difference hash (16 hex chars) of the logo, for look-alike detection. */
    dhash: string | null;
  };
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
  operator_sign_in_links: {
    id_hash: string;
    operator_id: string;
    expires_at: string;
    used_at: string | null;
    created_at: string;
  };
  program_reviews: ProgramReviewTable;
  console_notices: ConsoleNoticeTable;
  audit_log: AuditLogTable;
  program_reports: ProgramReportTable;
  merchant_api_calls: { day: string; channel_id: string; return_code: string; calls: number };
  organizations: { id: string; name: string; created_at: string };
  organization_members: {
    organization_id: string;
    operator_id: string;
    role: OrganizationRole;
    created_at: string;
  };
  organization_invitations: OrganizationInvitationTable;
  card_messages: CardMessageTable;
  /** Cards whose holder muted their messages (PROTOCOL.md §11): a row while muted. */
  card_mutes: { binding_id: string; user_id: string; muted_at: string };
  /** Campaign bundles (PROTOCOL.md §9, migration 0006). */
  bundles: BundleTable;
  bundle_banners: { bundle_id: string; content_type: string; data_base64: string; updated_at: string };
  bundle_programs: BundleProgramTable;
  bundle_views: { bundle_id: string; user_id: string; views: number; first_at: string; last_at: string };
  bundle_bindings: {
    binding_id: string;
    bundle_id: string;
    channel_id: string;
    user_id: string;
    created_at: string;
  };
  /** Programs made group programs (PROTOCOL.md §8): a row each, never removed. */
  group_programs: { channel_id: string; created_at: string };
  program_participants: ParticipantTable;
}

export interface BundleTable {
  id: string;
  name: string;
  description: string;
  starts_at: string;
  ends_at: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface BundleProgramTable {
  bundle_id: string;
  channel_id: string;
  /** Order the administrator gave (the wallet walks the programs in this order). */
  position: number;
  state: BundleMemberState;
  invited_at: string;
  decided_at: string | null;
  /** Operator who accepted or left (or the administrator who took the program out). */
  decided_by: string | null;
}

export type ParticipantStatus = 'ACTIVE' | 'SUSPENDED';

/** A participant of a group program (PROTOCOL.md §8): a brand or store with its own channel. */
export interface ParticipantTable {
  /** `pt_` + 16 base64url characters. */
  id: string;
  /** The participant's own channel id (its secrets are in program_secrets under it). */
  channel_id: string;
  /** The group program's channel id. */
  program_channel_id: string;
  name: string;
  status: ParticipantStatus;
  logo_content_type: string | null;
  logo_base64: string | null;
  logo_updated_at: string | null;
  /** Bumped when its secrets rotate (the signature key cache, like programs.secrets_version). */
  secrets_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** An invitation to an organization (migration 0009): the link's token is stored as its hash only. */
export interface OrganizationInvitationTable {
  id: string;
  organization_id: string;
  email: string;
  role: OrganizationRole;
  token_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_by: string | null;
  accepted_at: string | null;
  revoked_at: string | null;
}

/** `platform-admin`: the people who run the platform (PROTOCOL.md §9); null for merchant operators. */
export type PlatformRole = 'platform-admin';

export type ReviewKind = 'go-live' | 'revision';
export type ReviewState = 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

export interface ProgramReviewTable {
  id: string;
  channel_id: string;
  kind: ReviewKind;
  state: ReviewState;
  /** JSON: the reviewed fields ({name?, bindingUrl?, detail?}) proposed by the operator. */
  changes: string;
  /** A proposed logo (revision of a LIVE program): its type, bytes and hash; null when unchanged. */
  logo_content_type: string | null;
  logo_base64: string | null;
  logo_dhash: string | null;
  requested_by: string | null;
  requested_at: string;
  updated_at: string;
  decided_by: string | null;
  decided_at: string | null;
  /** JSON string[]: the reasons of a rejection. */
  reasons: string | null;
}

export interface ConsoleNoticeTable {
  id: Generated<number>;
  operator_id: string;
  channel_id: string;
  /** go-live.approved | go-live.rejected | revision.approved | revision.rejected | program.suspended | program.reinstated */
  kind: string;
  /** JSON string[]. */
  reasons: string;
  created_at: string;
  read_at: string | null;
}

/** Append-only (triggers refuse UPDATE and DELETE on both dialects). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  /** Operator id of who did it; null for the platform itself or the CLI. */
  actor_id: string | null;
  /** 'operator' | 'platform-admin' | 'cli' | 'system'. */
  actor_kind: string;
  /** Dotted verb, e.g. `program.suspended`. */
  action: string;
  /** e.g. `program`, `operator`, `report`. */
  target_type: string;
  target_id: string;
  /** JSON object. */
  details: string;
  source_address: string | null;
}

export type ReportState = 'OPEN' | 'RESOLVED';

export interface ProgramReportTable {
  id: string;
  channel_id: string;
  binding_id: string | null;
  user_id: string;
  reason: string;
  text: string;
  state: ReportState;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  /** 'dismissed' | 'actioned', with the note in the audit log. */
  resolution: string | null;
}

export interface OperatorTable {
  id: string;
  email: string;
  password_hash: string;
  display_name: string;
  created_at: string;
  platform_role: PlatformRole | null;
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
  /** Who registered it (kept for the record; rights come from the organization's members). */
  operator_id: string | null;
  /** The organization it belongs to (PROTOCOL.md §7); null for a program made by the CLI alone. */
  organization_id: string | null;
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
  /** Bumped by every rotation of the channel's secrets (instances' secret caches compare it). */
  secrets_version: Generated<number>;
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

/** A message to a card's holder (PROTOCOL.md §6, §11); (channel_id, message_id) is the key. */
export interface CardMessageTable {
  channel_id: string;
  message_id: string;
  binding_id: string;
  user_id: string;
  title: string;
  body: string;
  url: string | null;
  sent_at: string;
  read_at: string | null;
}
