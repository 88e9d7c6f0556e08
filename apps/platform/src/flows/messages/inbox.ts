import type { InboxMessage, MessageReadResult, MuteResult } from '@mycard/wire';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { loadOwnCard } from '../cards/wallet-cards.js';

/** The inbox holds at most this many messages, newest first (older ones are not listed). */
export const INBOX_LIMIT = 200;

/**
 * `GET /v1/inbox` (PROTOCOL.md §11): the user's messages, newest first, from the cards the user
 * holds (ACTIVE) and has not muted. A muted or removed card's messages leave the inbox and its
 * unread badge; unmuting brings them back.
 */
export async function listInbox(ctx: PlatformContext, userId: string): Promise<InboxMessage[]> {
  const rows = await ctx.db
    .selectFrom('card_messages as m')
    .innerJoin('bindings as b', 'b.id', 'm.binding_id')
    .leftJoin('card_mutes as mute', 'mute.binding_id', 'm.binding_id')
    .select([
      'm.message_id',
      'm.channel_id',
      'm.binding_id',
      'm.title',
      'm.body',
      'm.url',
      'm.sent_at',
      'm.read_at',
    ])
    .where('m.user_id', '=', userId)
    .where('b.user_id', '=', userId)
    .where('b.state', '=', 'ACTIVE')
    .where('mute.binding_id', 'is', null)
    .orderBy('m.sent_at', 'desc')
    .orderBy('m.message_id', 'desc')
    .limit(INBOX_LIMIT)
    .execute();
  return rows.map((r) => ({
    messageId: r.message_id,
    channelId: r.channel_id,
    bindingId: r.binding_id,
    title: r.title,
    body: r.body,
    url: r.url,
    sentAt: r.sent_at,
    read: r.read_at !== null,
  }));
}

/**
 * `POST /v1/inbox/{channelId}/{messageId}/read`: idempotent (the first read time stays). Another
 * user's message is 4004, the same as an unknown one: an id reveals nothing.
 */
export async function markMessageRead(
  ctx: PlatformContext,
  userId: string,
  channelId: string,
  messageId: string,
): Promise<MessageReadResult> {
  const found = await ctx.db
    .selectFrom('card_messages')
    .select('read_at')
    .where('channel_id', '=', channelId)
    .where('message_id', '=', messageId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!found) throw fail('4004', 'message_unknown');
  if (found.read_at === null) {
    await ctx.db
      .updateTable('card_messages')
      .set({ read_at: ctx.now().toISOString() })
      .where('channel_id', '=', channelId)
      .where('message_id', '=', messageId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute();
  }
  return { channelId, messageId, read: true };
}

/** `POST /v1/cards/{bindingId}/mute` `{muted}`: 4004 unknown card, 4003 another user's; idempotent. */
export async function muteCard(
  ctx: PlatformContext,
  userId: string,
  bindingId: string,
  muted: boolean,
): Promise<MuteResult> {
  await loadOwnCard(ctx, userId, bindingId);
  if (muted) {
    await ctx.db
      .insertInto('card_mutes')
      .values({ binding_id: bindingId, user_id: userId, muted_at: ctx.now().toISOString() })
      .onConflict((oc) => oc.column('binding_id').doNothing())
      .execute();
  } else {
    await ctx.db.deleteFrom('card_mutes').where('binding_id', '=', bindingId).execute();
  }
  return { bindingId, muted };
}
