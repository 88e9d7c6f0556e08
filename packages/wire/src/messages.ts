import { type Static, Type } from 'typebox';
import { BindingId, ChannelId } from './primitives.js';

/**
 * Card messages and the wallet's inbox (PROTOCOL.md §6 `POST /v1/cards/messages`, §11). Lengths are
 * in characters (code points, as JSON Schema counts them); the text is stored and shown as text.
 */

/** The merchant's own id of a message: 1–64 characters; it makes a send idempotent per channel. */
export const MessageId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7E]+$' });
/** One line: no control characters (the body may hold line breaks). */
export const MessageTitle = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[^\\u0000-\\u001F\\u007F]+$',
});
export const MessageBody = Type.String({ minLength: 1, maxLength: 500 });
/** An https URL (checked again as a URL by the platform: `https:` with a host, no credentials). */
export const MessageUrl = Type.String({ minLength: 9, maxLength: 2048, pattern: '^https://' });

/** `POST /v1/cards/messages` (merchant, HMAC). */
export const SendMessageBody = Type.Object(
  {
    bindingId: BindingId,
    messageId: MessageId,
    title: MessageTitle,
    body: MessageBody,
    url: Type.Optional(MessageUrl),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

/** The message as stored: the same answer for a repeat of the same messageId. */
export const SentMessage = Type.Object({
  bindingId: BindingId,
  messageId: MessageId,
  sentAt: Type.String({ format: 'date-time' }),
});
export type SentMessage = Static<typeof SentMessage>;

/** One message of `GET /v1/inbox` (§11); `url` is null when the message has none. */
export const InboxMessage = Type.Object({
  messageId: MessageId,
  channelId: ChannelId,
  bindingId: BindingId,
  title: Type.String(),
  body: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  sentAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
});
export type InboxMessage = Static<typeof InboxMessage>;

/** `GET /v1/inbox`: newest first. */
export const Inbox = Type.Object({ messages: Type.Array(InboxMessage) });
export type Inbox = Static<typeof Inbox>;

export const InboxMessageParams = Type.Object(
  { channelId: ChannelId, messageId: MessageId },
  { additionalProperties: false },
);

/** `POST /v1/inbox/{channelId}/{messageId}/read` (idempotent). */
export const MessageReadResult = Type.Object({
  channelId: ChannelId,
  messageId: MessageId,
  read: Type.Boolean(),
});
export type MessageReadResult = Static<typeof MessageReadResult>;

/** `POST /v1/cards/{bindingId}/mute` `{muted}`. */
export const MuteBody = Type.Object({ muted: Type.Boolean() }, { additionalProperties: false });
export type MuteBody = Static<typeof MuteBody>;
export const MuteResult = Type.Object({ bindingId: BindingId, muted: Type.Boolean() });
export type MuteResult = Static<typeof MuteResult>;
