import type { Selectable } from 'kysely';
import type { PlatformContext } from '../context.js';
import type { WebhookOutboxTable } from '../store/schema.js';

export type OutboxRow = Selectable<WebhookOutboxTable>;

/**
 * Claims up to `limit` due outbox events for `owner` with a lease of `leaseMs` (issue 9.4): one
 * UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING on PostgreSQL, so two instances
 * polling at the same moment claim disjoint rows without waiting for each other; on SQLite the
 * single writer makes the same UPDATE atomic. A row whose lease ran out (its instance died mid-way)
 * is due again. Events of `skipChannels` (busy or paused endpoints) are left for later.
 */
export async function claimDueWebhooks(
  ctx: PlatformContext,
  input: { owner: string; limit: number; leaseMs: number; skipChannels: string[] },
): Promise<OutboxRow[]> {
  if (input.limit <= 0) return [];
  const now = ctx.now();
  const at = now.toISOString();
  let due = ctx.db
    .selectFrom('webhook_outbox')
    .select('id')
    .where('delivered_at', 'is', null)
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
    .orderBy('id')
    .limit(input.limit);
  if (input.skipChannels.length > 0) due = due.where('channel_id', 'not in', input.skipChannels);
  if (ctx.dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await ctx.db
    .updateTable('webhook_outbox')
    .set({ lease_owner: input.owner, lease_until: new Date(now.getTime() + input.leaseMs).toISOString() })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

/** Gives a claimed row back untouched (its endpoint is busy): due again for any instance. */
export async function releaseWebhook(ctx: PlatformContext, id: number, owner: string): Promise<void> {
  await ctx.db
    .updateTable('webhook_outbox')
    .set({ lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}
