import { type Static, Type } from 'typebox';
import { BindingId, BindingStateSchema, ChannelId } from './primitives.js';
import { ProgramView } from './program.js';

/**
 * Text a card shows: no control characters (C0, DEL, C1) and no bidi overrides or isolates
 * (U+202A–U+202E, U+2066–U+2069), which could make a card read differently than it is (issue 9.8).
 */
const CARD_TEXT = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$';

const profileFields = {
  displayName: Type.String({ minLength: 1, maxLength: 64, pattern: CARD_TEXT }),
  level: Type.String({ minLength: 1, maxLength: 32, pattern: CARD_TEXT }),
  /** A balance: a whole, non-negative number of points. */
  points: Type.Integer({ minimum: 0, maximum: 1e15 }),
  pointsExpireAt: Type.String({ format: 'date-time', maxLength: 40 }),
  /** How many of the points expire at `pointsExpireAt`. */
  expiringPoints: Type.Integer({ minimum: 0, maximum: 1e15 }),
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
  /**
   * The program is suspended by the platform: the wallet shows the card as paused (no code to
   * scan); reinstating restores it (issue 14).
   */
  paused: Type.Boolean(),
  /** The user muted this card's messages (PROTOCOL.md §11): they leave the inbox and its badge. */
  muted: Type.Boolean(),
});
export type Card = Static<typeof Card>;
