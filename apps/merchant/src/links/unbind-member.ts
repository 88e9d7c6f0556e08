import { MyCardApiError } from '@mycard/merchant';
import type { MerchantContext } from '../context.js';
import { SYNCED_LINK_STATES } from '../sync/enqueue-profile-update.js';
import { setLinkState } from './begin-link.js';
import { refreshPendingLink } from './pending-link.js';

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

/** The member's newest link if it never became a card (cancelled or expired), to say so once. */
export async function lastEndedLink(ctx: MerchantContext, memberId: number) {
  const link = await ctx.db
    .selectFrom('wallet_links')
    .select(['binding_id', 'state', 'updated_at'])
    .where('member_id', '=', memberId)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  return link && (link.state === 'cancelled' || link.state === 'expired') ? link : undefined;
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
    try {
      await ctx.platform.unbind(link.binding_id, 'member request');
    } catch (err) {
      // 3003: not a card on the platform (the member cancelled in the wallet, or it expired).
      // Learn what it became instead of failing the member's Remove.
      if (!(err instanceof MyCardApiError && err.returnCode === '3003')) throw err;
      if ((await refreshPendingLink(ctx, link.binding_id)) === 'pending') throw err;
      continue;
    }
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
