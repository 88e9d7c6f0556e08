import type { SendMessageBody, SentMessage } from '@mycard/wire';
import type { Kysely } from 'kysely';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { isUniqueViolation } from '../../store/dialect.js';
import type { CardMessageTable, Database } from '../../store/schema.js';

/** A card receives at most this many messages in any 24 hours (PROTOCOL.md §11). */
export const MESSAGES_PER_CARD = 3;
export const MESSAGE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The message was stored (or had been: a repeat), or the card's quota is used up. */
export type SendOutcome = { sent: SentMessage } | { quotaRetryAfter: number };

/**
 * `POST /v1/cards/messages` (PROTOCOL.md §6, §11): a message to the holder of this channel's ACTIVE
 * card. Idempotent by `messageId` per channel: a repeat with the same content answers the stored
 * message (even when the quota is now used up); the same id with other content is refused (2101).
 * At most {@link MESSAGES_PER_CARD} per card in any sliding 24 hours, counted in the database under a
 * lock on the card's row, so the quota holds across instances and for parallel sends.
 */
export async function sendMessage(
  ctx: PlatformContext,
  channelId: string,
  input: SendMessageBody,
): Promise<SendOutcome> {
  checkMessageUrl(input.url);
  // A parallel send of the same messageId to another card may win the key between our check and
  // our insert: then the stored one decides (same content → that answer, else 2101).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await ctx.db.transaction().execute((trx) => sendIn(ctx, trx, channelId, input));
    } catch (err) {
      if (!isUniqueViolation(err, 'card_messages_pk')) throw err;
    }
  }
  throw fail('2101', 'message_id_reused');
}

async function sendIn(
  ctx: PlatformContext,
  trx: Kysely<Database>,
  channelId: string,
  input: SendMessageBody,
): Promise<SendOutcome> {
  const existing = await trx
    .selectFrom('card_messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('message_id', '=', input.messageId)
    .executeTakeFirst();
  if (existing) {
    if (!sameMessage(existing, input)) throw fail('2101', 'message_id_reused');
    return { sent: toSent(existing) };
  }
  // Lock the card: sends to one card queue here on PostgreSQL (SQLite runs one write transaction at
  // a time), so two parallel 3rd and 4th sends cannot both see two messages and both insert.
  let card = trx
    .selectFrom('bindings')
    .select(['id', 'channel_id', 'user_id', 'state'])
    .where('id', '=', input.bindingId);
  if (ctx.dialect === 'postgres') card = card.forUpdate();
  const binding = await card.executeTakeFirst();
  if (!binding || binding.channel_id !== channelId || binding.state !== 'ACTIVE')
    throw fail('3003', 'card_unknown');

  const now = ctx.now();
  const recent = await trx
    .selectFrom('card_messages')
    .select('sent_at')
    .where('binding_id', '=', binding.id)
    .where('sent_at', '>', new Date(now.getTime() - MESSAGE_WINDOW_MS).toISOString())
    .orderBy('sent_at', 'desc')
    .limit(MESSAGES_PER_CARD)
    .execute();
  const oldest = recent[MESSAGES_PER_CARD - 1];
  if (oldest) {
    // The quota frees up when the oldest of the last three leaves the 24-hour window.
    const freeAt = Date.parse(oldest.sent_at) + MESSAGE_WINDOW_MS;
    return { quotaRetryAfter: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
  }
  const row: CardMessageTable = {
    channel_id: channelId,
    message_id: input.messageId,
    binding_id: binding.id,
    user_id: binding.user_id,
    title: input.title,
    body: input.body,
    url: input.url ?? null,
    sent_at: now.toISOString(),
    read_at: null,
  };
  await trx.insertInto('card_messages').values(row).execute();
  return { sent: toSent(row) };
}

/** `url` must be an https URL with a host and no credentials (PROTOCOL.md §11). */
function checkMessageUrl(url: string | undefined): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('2101', 'message_url');
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '' || parsed.username || parsed.password)
    throw fail('2101', 'message_url');
}

function sameMessage(row: CardMessageTable, input: SendMessageBody): boolean {
  return (
    row.binding_id === input.bindingId &&
    row.title === input.title &&
    row.body === input.body &&
    row.url === (input.url ?? null)
  );
}

function toSent(row: CardMessageTable): SentMessage {
  return { bindingId: row.binding_id, messageId: row.message_id, sentAt: row.sent_at };
}
