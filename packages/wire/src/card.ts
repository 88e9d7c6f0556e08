import { type Static, Type } from 'typebox';
import { BindingId, BindingStateSchema, ChannelId } from './primitives.js';
import { ProgramView } from './program.js';

const profileFields = {
  displayName: Type.String({ minLength: 1, maxLength: 64 }),
  level: Type.String({ minLength: 1, maxLength: 32 }),
  points: Type.Number({ minimum: -1e15, maximum: 1e15 }),
  pointsExpireAt: Type.String({ format: 'date-time', maxLength: 40 }),
  /** How many of the points expire at `pointsExpireAt`. */
  expiringPoints: Type.Number({ minimum: 0, maximum: 1e15 }),
};
const ProfileVersion = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/**
 * What the wallet shows on a card, as stored and shown (PROTOCOL.md §4 step 5, §6). `version` grows
 * with every update; a cleared field is absent (a stored profile never holds `null`).
 */
export const CardProfile = Type.Object(
  {
    displayName: Type.Optional(profileFields.displayName),
    level: Type.Optional(profileFields.level),
    points: Type.Optional(profileFields.points),
    pointsExpireAt: Type.Optional(profileFields.pointsExpireAt),
    expiringPoints: Type.Optional(profileFields.expiringPoints),
    version: ProfileVersion,
  },
  { additionalProperties: false },
);
export type CardProfile = Static<typeof CardProfile>;

/**
 * A profile as a merchant sends it (Apply, `POST /v1/cards/profile`): it **merges** into the stored
 * one — an absent field keeps its value, `null` clears it (PROTOCOL.md §6 v1.1). `version` is
 * required and must grow (3008 otherwise).
 */
export const CardProfileUpdate = Type.Object(
  {
    displayName: Type.Optional(Type.Union([profileFields.displayName, Type.Null()])),
    level: Type.Optional(Type.Union([profileFields.level, Type.Null()])),
    points: Type.Optional(Type.Union([profileFields.points, Type.Null()])),
    pointsExpireAt: Type.Optional(Type.Union([profileFields.pointsExpireAt, Type.Null()])),
    expiringPoints: Type.Optional(Type.Union([profileFields.expiringPoints, Type.Null()])),
    version: ProfileVersion,
  },
  { additionalProperties: false },
);
export type CardProfileUpdate = Static<typeof CardProfileUpdate>;

/** The card object of the wallet API (docs/protocol-notes.md, "Card object"). */
export const Card = Type.Object({
  bindingId: BindingId,
  channelId: ChannelId,
  state: BindingStateSchema,
  membershipCode: Type.String(),
  /** When the card was added (completed; for a card not yet complete, applied or reserved). */
  boundAt: Type.String(),
  profile: Type.Union([CardProfile, Type.Null()]),
  program: ProgramView,
});
export type Card = Static<typeof Card>;
