import { type Static, Type } from 'typebox';
import { ChannelId } from './primitives.js';

/**
 * Group programs (PROTOCOL.md §8): a program whose one card is used at several brands or stores,
 * each a **participant** with its own channel (channel id + secret, the §3 scheme).
 */

/** The states of a participant: SUSPENDED channels answer 1102. */
export const PARTICIPANT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];
export const ParticipantStatusSchema = Type.Unsafe<ParticipantStatus>({
  type: 'string',
  enum: [...PARTICIPANT_STATUSES],
});

/** A participant id: `pt_` + 16 base64url characters. */
export const ParticipantId = Type.String({ pattern: '^pt_[A-Za-z0-9_-]{16}$' });
export const ParticipantName = Type.String({ minLength: 1, maxLength: 64 });

/**
 * A participant as the wallet shows it ("Use this card at", PROTOCOL.md §8): on a group program's
 * card and in `GET /v1/programs/{channelId}`. Only ACTIVE participants are listed.
 */
export const WalletParticipant = Type.Object({
  participantId: ParticipantId,
  name: Type.String(),
  /** `/v1/participants/{participantId}/logo`, or null when none was uploaded. */
  logoUrl: Type.Union([Type.String(), Type.Null()]),
});
export type WalletParticipant = Static<typeof WalletParticipant>;

/** A participant as the console API returns it (docs/console-api.md, "Groups"); never its secret. */
export const ConsoleParticipant = Type.Object({
  participantId: ParticipantId,
  /** The participant's own channel id (X-LINE-ChannelId of its calls). */
  channelId: ChannelId,
  name: Type.String(),
  status: ParticipantStatusSchema,
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  secret: Type.Object({
    createdAt: Type.String(),
    previousExpiresAt: Type.Union([Type.String(), Type.Null()]),
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ConsoleParticipant = Static<typeof ConsoleParticipant>;

/** `GET /v1/console/programs/{channelId}/participants`. */
export const ParticipantList = Type.Object({
  /** The program is a group program (participants can be added). */
  group: Type.Boolean(),
  participants: Type.Array(ConsoleParticipant),
});
export type ParticipantList = Static<typeof ParticipantList>;

/** `POST /v1/console/programs/{channelId}/participants`. */
export const NewParticipantBody = Type.Object({ name: ParticipantName }, { additionalProperties: false });
export type NewParticipantBody = Static<typeof NewParticipantBody>;

/** The participant's channel secret is shown here (and by reveal) only. */
export const CreatedParticipant = Type.Object({
  participant: ConsoleParticipant,
  channelSecret: Type.String(),
});
export type CreatedParticipant = Static<typeof CreatedParticipant>;

/** `PATCH /v1/console/programs/{channelId}/participants/{participantId}`: at least one field. */
export const ParticipantPatchBody = Type.Object(
  { name: Type.Optional(ParticipantName), status: Type.Optional(ParticipantStatusSchema) },
  { additionalProperties: false, minProperties: 1 },
);
export type ParticipantPatchBody = Static<typeof ParticipantPatchBody>;
