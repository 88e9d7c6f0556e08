import { type Static, Type } from 'typebox';
import { BindingId, BindingStateSchema, ChannelId } from './primitives.js';
import { ProgramView } from './program.js';

/**
 * What the wallet shows on a card, set by the merchant on Apply or with `POST /v1/cards/profile`
 * (PROTOCOL.md §4 step 5, §6). `version` must grow with every update (3008 otherwise), so it is
 * required on the way in and always present on a stored profile.
 */
export const CardProfile = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    level: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    points: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
    pointsExpireAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    version: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false },
);
export type CardProfile = Static<typeof CardProfile>;

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
