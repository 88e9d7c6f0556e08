import type { PlatformContext } from '../../context.js';
import { hashToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';

export type OneTimeKeyState = 'live' | 'used' | 'expired';

/**
 * `POST /v1/mycode/status {oneTimeKey}`: what became of the user's own My Code (issue 11 item 11),
 * so the wallet can say "used" and offer a fresh one instead of counting down a spent key. `used`
 * once any shop resolved it; `expired` after its 300 s (or once the janitor purged it). Another
 * user's key and an unknown key are the same 4004: nothing about other users' keys is revealed.
 */
export async function oneTimeKeyStatus(
  ctx: PlatformContext,
  userId: string,
  oneTimeKey: string,
): Promise<{ state: OneTimeKeyState; expiresAt: string | null }> {
  const keyHash = hashToken(oneTimeKey);
  const key = await ctx.db
    .selectFrom('one_time_keys')
    .select(['user_id', 'expires_at'])
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  if (!key) return { state: 'expired', expiresAt: null };
  if (key.user_id !== userId) throw fail('4004', 'one_time_key_unknown');
  const use = await ctx.db
    .selectFrom('one_time_key_uses')
    .select('key_hash')
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  if (use) return { state: 'used', expiresAt: key.expires_at };
  const expired = key.expires_at <= ctx.now().toISOString();
  return { state: expired ? 'expired' : 'live', expiresAt: key.expires_at };
}
