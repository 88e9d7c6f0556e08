import { mergeCardProfile } from '@mycard/protocol';
import type { CardProfile, ProfileUpdateBody, ProfileUpdateResult } from '@mycard/wire';
import type { Transaction } from 'kysely';
import { findBinding } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { type PendingNonce, stepTransaction } from '../../merchant-auth/nonce-store.js';
import { compiledOnce, slot } from '../../store/compiled-query.js';
import type { Database } from '../../store/schema.js';

/** The merged profile, written only at the version it was read at: the card's first profile (id, profile, version)… */
const writeFirstProfile = compiledOnce<unknown, [string, string, number]>((db) =>
  db
    .updateTable('bindings')
    .set({ profile: slot(1), profile_version: slot(2) })
    .where('id', '=', slot<string>(0))
    .where('state', '=', 'ACTIVE')
    .where('profile_version', 'is', null),
);

/** …and a later one: id, profile, version, the version it was read at */
const writeNextProfile = compiledOnce<unknown, [string, string, number, number]>((db) =>
  db
    .updateTable('bindings')
    .set({ profile: slot(1), profile_version: slot(2) })
    .where('id', '=', slot<string>(0))
    .where('state', '=', 'ACTIVE')
    .where('profile_version', '=', slot<number>(3)),
);

/** Attempts before a hot card's update gives up (each loss means another writer got in between). */
const MAX_ATTEMPTS = 5;

/**
 * `POST /v1/cards/profile` (PROTOCOL.md §6 v1.1): merges an update into this channel's ACTIVE
 * card's profile (3003 otherwise) — an absent field keeps its stored value, `null` clears it. The
 * version must grow: the merged profile is written by a conditional update on the version it was
 * read at, so of two concurrent updates the older loses (3008) whatever the order they arrive in,
 * and neither erases a field the other set.
 */
export async function updateProfile(
  ctx: PlatformContext,
  channelId: string,
  input: ProfileUpdateBody,
  nonce?: PendingNonce,
): Promise<ProfileUpdateResult> {
  // One transaction with the call's nonce; a refusal rolls it back (the nonce is stored alone).
  return stepTransaction(ctx, nonce)((trx) => updateInTransaction(trx, channelId, input));
}

async function updateInTransaction(
  trx: Transaction<Database>,
  channelId: string,
  input: ProfileUpdateBody,
): Promise<ProfileUpdateResult> {
  // On SQLite nothing comes between the read and the update; on PostgreSQL another writer can, and
  // each attempt reads what was committed since.
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const binding = await findBinding(trx, input.bindingId);
    if (!binding || binding.channel_id !== channelId || binding.state !== 'ACTIVE')
      throw fail('3003', 'card_unknown');
    const readVersion = binding.profile_version;
    if (readVersion !== null && readVersion >= input.profile.version) throw fail('3008', 'profile_stale');
    const stored = binding.profile ? (JSON.parse(binding.profile) as CardProfile) : null;
    const profile = mergeCardProfile(stored, input.profile);
    const write = [input.bindingId, JSON.stringify(profile), profile.version] as const;
    const result = await trx.executeQuery(
      readVersion === null
        ? writeFirstProfile(trx, [...write])
        : writeNextProfile(trx, [...write, readVersion]),
    );
    if (Number(result.numAffectedRows) === 1) return { bindingId: input.bindingId, profile };
  }
  throw fail('3008', 'profile_stale');
}
