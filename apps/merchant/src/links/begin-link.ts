import type { CardProfile } from '@mycard/protocol';
import type { MerchantContext } from '../context.js';
import { isSqlite } from '../db/dialect.js';
import type { Member } from '../db/schema.js';
import { openLots, soonestExpiry } from '../ledger/lots.js';

/**
 * Records that `member` is linking to wallet binding `bindingId` (state `applying`) and returns the
 * card profile to send with Apply, in one transaction that holds the member's balance lock. From
 * this commit on, every ledger change also enqueues a profile update for the binding, and the
 * returned profile carries every change before it: no balance change falls between the two.
 * Undefined when another member already applied with this binding.
 */
export async function beginLink(
  ctx: MerchantContext,
  member: Member,
  binding: { bindingId: string; subject: string },
): Promise<CardProfile | undefined> {
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const balance = await trx
      .selectFrom('balances')
      .selectAll()
      .where('member_id', '=', member.id)
      .$if(!isSqlite(trx), (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const existing = await trx
      .selectFrom('wallet_links')
      .selectAll()
      .where('binding_id', '=', binding.bindingId)
      .executeTakeFirst();
    if (!existing) {
      await trx
        .insertInto('wallet_links')
        .values({
          binding_id: binding.bindingId,
          member_id: member.id,
          subject: binding.subject,
          state: 'applying',
          created_at: now,
          updated_at: now,
          unbound_reason: null,
        })
        .execute();
    } else if (existing.member_id === member.id || existing.state === 'failed') {
      // The same Apply again (a reload, a second click), or a retry after a failed one.
      await trx
        .updateTable('wallet_links')
        .set({
          member_id: member.id,
          state: existing.state === 'failed' ? 'applying' : existing.state,
          updated_at: now,
        })
        .where('binding_id', '=', binding.bindingId)
        .execute();
    } else {
      // Another member already applied with this binding (a forwarded link, a copied cookie): the
      // platform would refuse it too (3004); do not even ask.
      return undefined;
    }
    const profile: CardProfile = {
      displayName: member.display_name,
      points: balance.points,
      version: balance.version,
    };
    const tier = await trx
      .selectFrom('member_tiers')
      .select('tier')
      .where('member_id', '=', member.id)
      .executeTakeFirst();
    if (tier?.tier) profile.level = tier.tier;
    const expiry = soonestExpiry(await openLots(trx, member.id));
    if (expiry.pointsExpireAt !== null && expiry.expiringPoints !== null) {
      profile.pointsExpireAt = expiry.pointsExpireAt;
      profile.expiringPoints = expiry.expiringPoints;
    }
    return profile;
  });
}

/** Moves a link to a new state (after Apply, a webhook, or an unbind). */
export async function setLinkState(
  ctx: MerchantContext,
  bindingId: string,
  state: 'applied' | 'active' | 'failed' | 'unbound',
  reason: string | null = null,
  onlyMemberId?: number,
): Promise<void> {
  let update = ctx.db
    .updateTable('wallet_links')
    .set({
      state,
      updated_at: ctx.now().toISOString(),
      ...(state === 'unbound' ? { unbound_reason: reason } : {}),
    })
    .where('binding_id', '=', bindingId);
  if (onlyMemberId !== undefined) update = update.where('member_id', '=', onlyMemberId);
  await update.execute();
}
