import { type Static, Type } from 'typebox';
import { CardProfile } from './card.js';
import { BindingId, BindingStateSchema, MembershipCode, Token } from './primitives.js';

/**
 * The bodies of the merchant API (PROTOCOL.md §4.5, §6). The SDK (`@mycard/merchant`) keeps plain
 * TypeScript interfaces for merchants; packages/wire/test checks that what it sends fits these bodies
 * and what these results carry fits what it reads.
 */

/** `POST /v1/bindings/apply`. */
export const ApplyBody = Type.Object(
  { token: Token, membershipCode: MembershipCode, profile: Type.Optional(CardProfile) },
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

/** `POST /v1/cards/profile`; the answer is the profile as now stored. */
export const ProfileUpdateBody = Type.Object(
  { bindingId: BindingId, profile: CardProfile },
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
export const OneTimeKeyResolution = Type.Object({ bindingId: BindingId, membershipCode: Type.String() });
export type OneTimeKeyResolution = Static<typeof OneTimeKeyResolution>;
