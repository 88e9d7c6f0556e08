import type { MerchantContext } from '../context.js';
import { SYNCED_LINK_STATES } from '../sync/enqueue-profile-update.js';
import { setLinkState } from './begin-link.js';

/** The member's current wallet link (newest first), if any. */
export function currentLink(ctx: MerchantContext, memberId: number) {
  return ctx.db
    .selectFrom('wallet_links')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('state', 'in', SYNCED_LINK_STATES)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/**
 * Ends the member's wallet links: the platform first (merchant unbind, idempotent), then the local
 * record, so a failure leaves the link visible and the member can try again.
 */
export async function unbindMember(ctx: MerchantContext, memberId: number): Promise<number> {
  const links = await ctx.db
    .selectFrom('wallet_links')
    .select('binding_id')
    .where('member_id', '=', memberId)
    .where('state', 'in', SYNCED_LINK_STATES)
    .execute();
  for (const link of links) {
    await ctx.platform.unbind(link.binding_id, 'member request');
    await setLinkState(ctx, link.binding_id, 'unbound', 'member request');
    // Pending profile updates of an ended card would only bounce.
    await ctx.db
      .updateTable('profile_outbox')
      .set({ state: 'dead', last_error: 'card unbound' })
      .where('binding_id', '=', link.binding_id)
      .where('state', '=', 'pending')
      .execute();
  }
  return links.length;
}
