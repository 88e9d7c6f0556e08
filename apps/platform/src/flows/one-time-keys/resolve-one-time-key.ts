import { findActiveCard } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import { hashToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { isUniqueViolation } from '../../store/dialect.js';

/**
 * `GET /v1/onetimekeys/{oneTimeKey}` (PROTOCOL.md §6), as a table of steps: the key is known and
 * live (3010) → its user holds an ACTIVE card of this channel (3011; the key is not used up then,
 * so the member can show it at another shop) → the use is recorded once per (key, channel) by a
 * unique insert. Retry-safe (§6 v1.1, issue 9.7): while the key is valid, the same channel resolving
 * it again — a till that lost the answer, a double tap — gets the same answer with the same
 * `resolvedAt`; the merchant's order id keeps the accrual single.
 */
export async function resolveOneTimeKey(
  ctx: PlatformContext,
  channelId: string,
  oneTimeKey: string,
  callerChannelId = channelId,
): Promise<{ bindingId: string; membershipCode: string; resolvedAt: string }> {
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
  const answer = { bindingId: card.id, membershipCode: card.membership_code ?? '' };
  try {
    await ctx.db
      .insertInto('one_time_key_uses')
      .values({ key_hash: keyHash, channel_id: callerChannelId, created_at: now, binding_id: card.id })
      .execute();
    return { ...answer, resolvedAt: now };
  } catch (err) {
    if (!isUniqueViolation(err, 'one_time_key_uses_pk')) throw err;
  }
  // Resolved before by this channel: the same answer, as first given.
  const use = await ctx.db
    .selectFrom('one_time_key_uses')
    .select(['created_at', 'binding_id'])
    .where('key_hash', '=', keyHash)
    .where('channel_id', '=', callerChannelId)
    .executeTakeFirst();
  if (!use || (use.binding_id !== null && use.binding_id !== card.id))
    throw fail('3010', 'one_time_key_used');
  return { ...answer, resolvedAt: use.created_at };
}
