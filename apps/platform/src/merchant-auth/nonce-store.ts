import type { PlatformContext } from '../context.js';
import { fail } from '../http/errors.js';
import { isUniqueViolation } from '../store/dialect.js';

/**
 * Records a merchant nonce once per channel (PROTOCOL.md §3): the primary key (channel_id, nonce)
 * makes the database itself refuse a replay, even between concurrent requests (1108).
 */
export async function recordNonce(ctx: PlatformContext, channelId: string, nonce: string): Promise<void> {
  try {
    await ctx.db
      .insertInto('merchant_nonces')
      .values({ channel_id: channelId, nonce, created_at: ctx.now().toISOString() })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err, 'merchant_nonces_pk')) throw fail('1108', 'nonce_replayed');
    throw err;
  }
}

/** Deletes nonces older than the retention (≥ 7 days, config.nonceRetention). */
export async function purgeExpiredNonces(ctx: PlatformContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - ctx.config.nonceRetention * 1000).toISOString();
  const result = await ctx.db
    .deleteFrom('merchant_nonces')
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
