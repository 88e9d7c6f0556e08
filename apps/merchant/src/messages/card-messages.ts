import { sql, type Transaction } from 'kysely';
import type { MerchantContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { TierChange } from '../ledger/tiers.js';
import { tierFor } from '../ledger/tiers.js';
import { translator } from '../web/i18n.js';

/**
 * Card messages the reference merchant sends (PROTOCOL.md §6 `POST /v1/cards/messages`, SDK
 * `sendMessage`): "points about to expire" once per lot, and "your tier changed". They are queued in
 * `message_outbox` under a message id that names what they are about (`expiring-<lotId>`,
 * `tier-<entryId>`), so queuing again adds nothing, and every retry of a delivery sends the same id
 * — which the platform stores once. Texts are in the shop's default language.
 */

/** The card(s) of a member that can receive messages now. */
async function activeBindings(db: Transaction<Database> | MerchantContext['db'], memberId: number) {
  const rows = await db
    .selectFrom('wallet_links')
    .select('binding_id')
    .where('member_id', '=', memberId)
    .where('state', '=', 'active')
    .execute();
  return rows.map((r) => r.binding_id);
}

async function queue(
  db: Transaction<Database> | MerchantContext['db'],
  message: { messageId: string; memberId: number; title: string; body: string; now: string },
): Promise<number> {
  let queued = 0;
  for (const bindingId of await activeBindings(db, message.memberId)) {
    const inserted = await db
      .insertInto('message_outbox')
      .values({
        message_id: message.messageId,
        binding_id: bindingId,
        member_id: message.memberId,
        title: message.title,
        body: message.body,
        state: 'pending',
        attempts: 0,
        next_attempt_at: message.now,
        last_error: null,
        created_at: message.now,
        sent_at: null,
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .executeTakeFirst();
    queued += Number(inserted.numInsertedOrUpdatedRows ?? 0n);
  }
  return queued;
}

function formatDate(ctx: MerchantContext, iso: string): string {
  return new Intl.DateTimeFormat(ctx.config.defaultLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(iso),
  );
}

/**
 * Queues "points about to expire" for every lot with points left that expires within
 * `points.expiryNoticeDays` of now, once per lot (`expiring-<lotId>`). Returns how many were queued.
 */
export async function queueExpiryNotices(ctx: MerchantContext): Promise<number> {
  const days = ctx.config.points.expiryNoticeDays;
  if (days === 0) return 0;
  const now = ctx.now();
  const until = new Date(now.getTime() + days * 86_400_000).toISOString();
  const lots = await ctx.db
    .selectFrom('point_lots as l')
    .leftJoin('lot_uses as u', 'u.lot_id', 'l.id')
    .select([
      'l.id',
      'l.member_id',
      'l.expires_at',
      sql<number>`l.points - coalesce(sum(u.points), 0)`.as('left'),
    ])
    .where('l.expires_at', '>', now.toISOString())
    .where('l.expires_at', '<=', until)
    // Only members with a card in a wallet (an EXISTS, so the sum of lot uses is not multiplied).
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('wallet_links as w')
          .select('w.binding_id')
          .whereRef('w.member_id', '=', 'l.member_id')
          .where('w.state', '=', 'active'),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('message_outbox as m')
            .select('m.message_id')
            .where('m.message_id', '=', sql<string>`${'expiring-'} || cast(l.id as text)`),
        ),
      ),
    )
    .groupBy(['l.id', 'l.member_id', 'l.expires_at', 'l.points'])
    .having(sql`l.points - coalesce(sum(u.points), 0)`, '>', 0)
    .orderBy('l.id')
    .execute();
  const t = translator(ctx.config.defaultLocale);
  let queued = 0;
  for (const lot of lots) {
    queued += await queue(ctx.db, {
      messageId: `expiring-${Number(lot.id)}`,
      memberId: Number(lot.member_id),
      title: t('msgExpiringTitle'),
      body: t('msgExpiringBody', {
        points: Number(lot.left),
        brand: ctx.config.brand.name,
        date: formatDate(ctx, lot.expires_at ?? ''),
      }),
      now: now.toISOString(),
    });
  }
  return queued;
}

/** Whether a tier change is news for the card (reaching the lowest tier with a first purchase is not). */
export function tierMessageDue(ctx: MerchantContext, change: TierChange): boolean {
  if (!change.changed) return false;
  return !(change.previous === undefined && change.tier === tierFor(0, ctx.config.tiers.levels));
}

/**
 * In an entry's transaction: queues "your tier changed" when the entry moved the member to another
 * tier (`tier-<entryId>`). Reaching the lowest tier with a first purchase is no news and sends none.
 */
export async function queueTierMessage(
  ctx: MerchantContext,
  trx: Transaction<Database>,
  memberId: number,
  entryId: number,
  change: TierChange,
): Promise<void> {
  if (!tierMessageDue(ctx, change)) return;
  const t = translator(ctx.config.defaultLocale);
  const body =
    change.tier === undefined
      ? t('msgTierNoneBody', { brand: ctx.config.brand.name })
      : t('msgTierBody', {
          brand: ctx.config.brand.name,
          tier: change.tier,
          spend: change.spend,
          currency: ctx.config.currency,
          months: ctx.config.tiers.windowMonths,
        });
  await queue(trx, {
    messageId: `tier-${entryId}`,
    memberId,
    title: t('msgTierTitle'),
    body,
    now: ctx.now().toISOString(),
  });
}
