import { ONE_TIME_KEY_LIFETIME_SECONDS } from '@mycard/protocol';
import type { PlatformContext } from '../../context.js';
import { hashToken, randomDigits } from '../../crypto/tokens.js';
import { isUniqueViolation } from '../../store/dialect.js';

/**
 * `POST /v1/mycode` (PROTOCOL.md §5): an 18-digit single-use key (~60 bits) valid 300 s, stored
 * only as its SHA-256. Expired keys are purged by the janitor.
 */
export async function issueOneTimeKey(
  ctx: PlatformContext,
  userId: string,
): Promise<{ oneTimeKey: string; expiresAt: string }> {
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ONE_TIME_KEY_LIFETIME_SECONDS * 1000).toISOString();
  for (let attempt = 0; ; attempt++) {
    const oneTimeKey = randomDigits(18);
    try {
      await ctx.db
        .insertInto('one_time_keys')
        .values({
          key_hash: hashToken(oneTimeKey),
          user_id: userId,
          expires_at: expiresAt,
          created_at: now.toISOString(),
        })
        .execute();
      return { oneTimeKey, expiresAt };
    } catch (err) {
      if (attempt < 3 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}
