import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
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

/**
 * Replaces the tester list in one transaction; returns the new list, sorted. With an actor, a change
 * of the list is audited (PROTOCOL.md §7) with who was added and removed; the same list again
 * changes nothing and writes no entry.
 */
export async function replaceTesters(
  ctx: Pick<PlatformContext, 'db' | 'now'>,
  channelId: string,
  userIds: readonly string[],
  actor?: Actor,
): Promise<string[]> {
  const at = ctx.now();
  const now = at.toISOString();
  const unique = [...new Set(userIds)];
  await ctx.db.transaction().execute(async (trx) => {
    const before = new Set(
      (
        await trx
          .selectFrom('program_testers')
          .select('user_id')
          .where('channel_id', '=', channelId)
          .execute()
      ).map((r) => r.user_id),
    );
    const added = unique.filter((u) => !before.has(u)).sort();
    const removed = [...before].filter((u) => !unique.includes(u)).sort();
    if (added.length === 0 && removed.length === 0) return;
    if (actor) {
      await appendAudit(trx, at, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'program.testers_changed',
        targetType: 'program',
        targetId: channelId,
        details: { added, removed },
        sourceAddress: actor.sourceAddress,
      });
    }
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
