import type { ProfileUpdateBody, ProfileUpdateResult } from '@mycard/wire';
import { findBinding } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';

/**
 * `POST /v1/cards/profile` (PROTOCOL.md §6): sets what the wallet shows on this channel's ACTIVE
 * card (3003 otherwise). The version must grow: one conditional update compares and writes, so of
 * two concurrent updates the older loses (3008) whatever the order they arrive in.
 */
export async function updateProfile(
  ctx: PlatformContext,
  channelId: string,
  input: ProfileUpdateBody,
): Promise<ProfileUpdateResult> {
  const result = await ctx.db
    .updateTable('bindings')
    .set({ profile: JSON.stringify(input.profile), profile_version: input.profile.version })
    .where('id', '=', input.bindingId)
    .where('channel_id', '=', channelId)
    .where('state', '=', 'ACTIVE')
    .where((eb) =>
      eb.or([eb('profile_version', 'is', null), eb('profile_version', '<', input.profile.version)]),
    )
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { bindingId: input.bindingId, profile: input.profile };
  const binding = await findBinding(ctx.db, input.bindingId);
  if (!binding || binding.channel_id !== channelId || binding.state !== 'ACTIVE')
    throw fail('3003', 'card_unknown');
  throw fail('3008', 'profile_stale');
}
