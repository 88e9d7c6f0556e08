import { type Static, Type } from 'typebox';
import { CardProfile, CardProfileUpdate } from './card.js';
import { BindingId, BindingStateSchema, ChannelId, MembershipCode, Token } from './primitives.js';

/**
 * Present when a group participant's channel asked (PROTOCOL.md §8): the group program's own channel
 * id, whose card it is.
 */
const ProgramChannelId = Type.Optional(ChannelId);

/**
 * The bodies of the merchant API (PROTOCOL.md §4.5, §6). The SDK (`@mycard/merchant`) keeps plain
 * TypeScript interfaces for merchants; packages/wire/test checks that what it sends fits these bodies
 * and what these results carry fits what it reads.
 */

/** `POST /v1/bindings/apply`. */
export const ApplyBody = Type.Object(
  { token: Token, membershipCode: MembershipCode, profile: Type.Optional(CardProfileUpdate) },
  { additionalProperties: false },
);
export type ApplyBody = Static<typeof ApplyBody>;

export const ApplyResult = Type.Object({
  bindingId: BindingId,
  /** Single-use; a repeated apply issues a new one and the old one dies. */
  completionToken: Type.String(),
  /** callback + `?token=<completionToken>&channelId=<id>&status=SUCCESS`. */
  callbackUrl: Type.String(),
});
export type ApplyResult = Static<typeof ApplyResult>;

/** `POST /v1/cards/profile` (a merge, §6 v1.1); the answer is the profile as now stored. */
export const ProfileUpdateBody = Type.Object(
  { bindingId: BindingId, profile: CardProfileUpdate },
  { additionalProperties: false },
);
export type ProfileUpdateBody = Static<typeof ProfileUpdateBody>;
export const ProfileUpdateResult = Type.Object({ bindingId: BindingId, profile: CardProfile });
export type ProfileUpdateResult = Static<typeof ProfileUpdateResult>;

/** `POST /v1/cards/unbind` (idempotent). */
export const UnbindBody = Type.Object(
  { bindingId: BindingId, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export type UnbindBody = Static<typeof UnbindBody>;
export const UnbindResult = Type.Object({ bindingId: BindingId, state: BindingStateSchema });
export type UnbindResult = Static<typeof UnbindResult>;

/** `GET /v1/onetimekeys/{oneTimeKey}`. */
export const OneTimeKeyParams = Type.Object(
  { oneTimeKey: Type.String({ pattern: '^[0-9]{18}$' }) },
  { additionalProperties: false },
);
export const OneTimeKeyResolution = Type.Object({
  bindingId: BindingId,
  membershipCode: Type.String(),
  /** When this channel first resolved the key: a retry while the key is valid answers the same (§6). */
  resolvedAt: Type.String(),
  programChannelId: ProgramChannelId,
});
export type OneTimeKeyResolution = Static<typeof OneTimeKeyResolution>;

/**
 * `GET /v1/bindings/{bindingId}` (PROTOCOL.md §6 v1.1): what became of a binding of this channel.
 * The path parameter takes any segment: one that is no binding id names no resource (4004).
 */
export const BindingStatusParams = Type.Object(
  { bindingId: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);
export const BindingStatus = Type.Object({
  bindingId: BindingId,
  state: BindingStateSchema,
  /** Present once the binding was applied. */
  membershipCode: Type.Optional(Type.String()),
  /** The time of its last change of state. */
  updatedAt: Type.String({ format: 'date-time' }),
  programChannelId: ProgramChannelId,
});
export type BindingStatus = Static<typeof BindingStatus>;
