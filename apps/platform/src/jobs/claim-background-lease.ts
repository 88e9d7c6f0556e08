import type { PlatformContext } from '../context.js';

/**
 * Claims background job `name` for `ms` (PROTOCOL.md §10: background work is done once): one
 * conditional UPDATE takes the lease only when the previous one ran out, so of several instances
 * that try in the same interval exactly one gets `true`. The row is created on first use.
 */
export async function claimBackgroundLease(ctx: PlatformContext, name: string, ms: number): Promise<boolean> {
  const now = ctx.now();
  await ctx.db
    .insertInto('background_leases')
    .values({ name, owner: '', lease_until: new Date(0).toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const result = await ctx.db
    .updateTable('background_leases')
    .set({ owner: ctx.instanceId, lease_until: new Date(now.getTime() + ms).toISOString() })
    .where('name', '=', name)
    .where('lease_until', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
