import { findActiveCard } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import { hashToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { isUniqueViolation } from '../../store/dialect.js';

/**
 * `GET /v1/onetimekeys/{oneTimeKey}` (PROTOCOL.md §6), as a table of steps: the key is known and
 * live (3010) → its user holds an ACTIVE card of this channel (3011; the key is not used up then,
 * so the member can show it at another shop) → the use is recorded once per (key, channel) by a
 * unique insert (a second resolution by the same channel is 3010).
 */
export async function resolveOneTimeKey(
  ctx: PlatformContext,
  channelId: string,
  oneTimeKey: string,
): Promise<{ bindingId: string; membershipCode: string }> {
  const now = ctx.now().toISOString();
  const keyHash = hashToken(oneTimeKey);
  const key = await ctx.db
    .selectFrom('one_time_keys')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  if (!key || key.expires_at <= now) throw fail('3010', 'one_time_key_unknown');
  const card = await findActiveCard(ctx.db, channelId, key.user_id);
  if (!card) throw fail('3011', 'card_not_held');
  try {
    await ctx.db
      .insertInto('one_time_key_uses')
      .values({ key_hash: keyHash, channel_id: channelId, created_at: now })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err, 'one_time_key_uses_pk')) throw fail('3010', 'one_time_key_used');
    throw err;
  }
  return { bindingId: card.id, membershipCode: card.membership_code ?? '' };
}
