import type { ErrorReturnCode, ProgramUrlProblem } from '@mycard/protocol';
import { BINDING_STATES, type BindingState } from '@mycard/wire';

/** `binding_applied`, `card_unbound`…: the reason a step refuses a binding in the wrong state (3004). */
export type StateReason<P extends 'binding' | 'card'> = `${P}_${Lowercase<BindingState>}`;

function stateReasons<P extends 'binding' | 'card'>(prefix: P): StateReason<P>[] {
  return BINDING_STATES.map((state) => stateReason(prefix, state));
}

/** The 2101 reasons of program URLs refused by checkProgramUrl: one per {@link ProgramUrlProblem}. */
const URL_REASONS = ['url_characters', 'url_syntax', 'url_scheme', 'url_credentials'] as const;
// Fails to compile when @mycard/protocol adds a ProgramUrlProblem that URL_REASONS does not list.
const urlReasonsComplete: Exclude<`url_${ProgramUrlProblem}`, (typeof URL_REASONS)[number]> extends never
  ? true
  : false = true;
void urlReasonsComplete;

/** The 2101 reasons of webhook URLs refused as destinations (webhook-destination.ts, PROTOCOL.md §6). */
export const WEBHOOK_DESTINATION_REASONS = [
  'webhook_not_a_url',
  'webhook_not_https',
  'webhook_private_address',
  'webhook_internal_name',
] as const;
export type WebhookDestinationReason = (typeof WEBHOOK_DESTINATION_REASONS)[number];

/**
 * Every reason the platform gives for refusing a request, by return code (PROTOCOL.md §2): a closed
 * set, like the SDK's `API_ERROR_CODES` and the merchant app's `MERCHANT_ERRORS`. The reason is
 * `MyCardError.code`: it goes to the log (`reason`) and to tests, never to the wire, which carries
 * only the return code and its registry message. `fail()` takes only a reason listed under its code.
 */
export const REFUSAL_REASONS = {
  '1101': ['channel_unknown'],
  '1102': ['channel_suspended', 'participant_suspended', 'program_not_available', 'program_suspended'],
  '1103': ['participant_channel'],
  '1106': ['auth_headers_malformed', 'not_authenticated', 'signature_mismatch'],
  '1108': ['nonce_replayed'],
  '2101': [
    'unsafe_text',
    'logo_media_type',
    'logo_empty',
    'logo_content_mismatch',
    'banner_media_type',
    'banner_empty',
    'banner_content_mismatch',
    'bundle_dates',
    'status_in_review_is_requested_with_live',
    'message_id_reused',
    'message_url',
    ...URL_REASONS,
    ...WEBHOOK_DESTINATION_REASONS,
  ],
  '3002': ['completion_token_expired', 'reservation_expired'],
  '3003': ['binding_unknown', 'card_unknown', 'completion_token_unknown'],
  '3004': [
    'already_member',
    'applied_with_other_code',
    'binding_contended',
    'binding_state',
    'bundle_member_state',
    'code_type_locked',
    'program_not_group',
    'completion_raced',
    'detail_not_custom',
    'last_owner',
    'program_status_changed_concurrently',
    'program_status_transition',
    'program_in_review',
    'report_resolved',
    'review_decided',
    'review_decided_concurrently',
    'review_pending',
    'revision_decided_concurrently',
    'revision_raced',
    ...stateReasons('binding'),
    ...stateReasons('card'),
  ],
  '3005': ['membership_code_taken'],
  '3006': ['card_already_held'],
  '3007': ['binding_foreign'],
  '3008': ['profile_stale'],
  '3010': ['one_time_key_unknown', 'one_time_key_used'],
  '3011': ['card_not_held'],
  '4001': [
    'console_credentials',
    'console_session',
    'line_sub_invalid',
    'line_token_invalid',
    'metrics_token',
    'session_invalid',
    'session_missing',
    'sign_in_link',
  ],
  '4003': [
    'card_foreign',
    'csrf_content_type',
    'csrf_origin',
    'csrf_site',
    'email_taken',
    'invitation_other_email',
    'platform_admin_only',
    'program_not_yours',
    'review_not_yours',
    'organization_not_yours',
    'role_forbidden',
  ],
  '4004': [
    'banner_not_found',
    'bundle_not_found',
    'bundle_program_not_offered',
    'card_unknown',
    'dev_identity_disabled',
    'invitation_not_found',
    'line_identity_disabled',
    'logo_not_found',
    'member_not_found',
    'message_unknown',
    'organization_not_found',
    'participant_not_found',
    'not_a_binding_id',
    'one_time_key_unknown',
    'notice_not_found',
    'report_not_found',
    'review_logo_not_found',
    'review_not_found',
    'path_not_canonical',
    'program_not_found',
    'program_unknown',
    'sdk_file_not_found',
    'sdk_version_not_served',
    'signup_closed',
    'webhook_event_not_found',
  ],
  '4029': [
    'console_login_rate_limited',
    'console_session_rate_limited',
    'message_quota',
    'one_time_key_lookups',
    'reports_rate_limited',
    'reserve_rate_limited',
    'session_rate_limited',
    'signature_failures',
  ],
  '9000': [
    'channel_secret_missing',
    'console_right_unlisted',
    'current_key_unpublished',
    'database_unavailable',
    'rate_limit_store_unavailable',
  ],
} as const satisfies { [C in ErrorReturnCode]?: readonly string[] };

/** The reasons allowed under return code `C` (all of them when `C` is the whole union). */
export type RefusalReason<C extends ErrorReturnCode = ErrorReturnCode> =
  C extends keyof typeof REFUSAL_REASONS ? (typeof REFUSAL_REASONS)[C][number] : never;

/** The 3004 reason for a binding (or card) found in `state`: `stateReason('binding', 'APPLIED')`. */
export function stateReason<P extends 'binding' | 'card'>(prefix: P, state: BindingState): StateReason<P> {
  return `${prefix}_${state.toLowerCase() as Lowercase<BindingState>}`;
}

/** The 2101 reason for a program URL that checkProgramUrl refused. */
export function urlReason(problem: ProgramUrlProblem): `url_${ProgramUrlProblem}` {
  return `url_${problem}`;
}
