import type { Kysely } from 'kysely';
import type { PlatformContext } from '../context.js';
import type { Database } from '../store/schema.js';

/** The wallet user ids that may bind a DRAFT program's card (sandbox testers, PROTOCOL.md §7). */
export async function listTesters(db: Kysely<Database>, channelId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('program_testers')
    .select('user_id')
    .where('channel_id', '=', channelId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Replaces the tester list in one transaction; returns the new list, sorted. */
export async function replaceTesters(
  ctx: Pick<PlatformContext, 'db' | 'now'>,
  channelId: string,
  userIds: readonly string[],
): Promise<string[]> {
  const now = ctx.now().toISOString();
  const unique = [...new Set(userIds)];
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('program_testers').where('channel_id', '=', channelId).execute();
    if (unique.length > 0) {
      await trx
        .insertInto('program_testers')
        .values(unique.map((userId) => ({ channel_id: channelId, user_id: userId, created_at: now })))
        .execute();
    }
  });
  return unique.sort();
}
