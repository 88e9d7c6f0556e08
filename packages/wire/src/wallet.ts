import { type Static, Type } from 'typebox';
import { Card } from './card.js';
import { BindingId, BindingStateSchema } from './primitives.js';
import { ProgramView } from './program.js';

/** The bodies of the wallet API (PROTOCOL.md §4–§5) besides cards and programs. */

export const WalletIdentity = Type.Union([Type.Literal('dev'), Type.Literal('line')]);
export type WalletIdentity = Static<typeof WalletIdentity>;

/** `POST /v1/session/dev|line`, `GET /v1/session`. */
export const WalletSession = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  identity: WalletIdentity,
});
export type WalletSession = Static<typeof WalletSession>;

/** Binding Reserve (`POST /v1/bindings`, PROTOCOL.md §4.1). */
export const Reservation = Type.Object({
  bindingId: BindingId,
  redirectUrl: Type.String(),
  expiresAt: Type.String(),
});
export type Reservation = Static<typeof Reservation>;

/** `POST /v1/bindings/preview`: what a completion token would add, for the confirm screen. */
export const BindingPreview = Type.Object({
  bindingId: BindingId,
  program: Type.Pick(ProgramView, ['channelId', 'name', 'codeType', 'logoUrl', 'colors']),
  maskedMembershipCode: Type.String(),
  expiresAt: Type.String(),
});
export type BindingPreview = Static<typeof BindingPreview>;

export const CallbackStatus = Type.Union([
  Type.Literal('SUCCESS'),
  Type.Literal('CANCEL'),
  Type.Literal('FAIL'),
]);
export type CallbackStatus = Static<typeof CallbackStatus>;

/** `POST /v1/bindings/complete`: the card on SUCCESS; the cancelled binding on CANCEL/FAIL. */
export const CompletionResult = Type.Object({
  card: Type.Optional(Card),
  bindingId: Type.Optional(BindingId),
  state: Type.Optional(BindingStateSchema),
});
export type CompletionResult = Static<typeof CompletionResult>;

/** A custom detail page's URL with a signed card context (`POST /v1/cards/{bindingId}/detail-link`). */
export const DetailPageLink = Type.Object({ url: Type.String(), expiresAt: Type.String() });
export type DetailPageLink = Static<typeof DetailPageLink>;

/** My Code (`POST /v1/mycode`): an 18-digit single-use key. */
export const OneTimeKeyInfo = Type.Object({ oneTimeKey: Type.String(), expiresAt: Type.String() });
export type OneTimeKeyInfo = Static<typeof OneTimeKeyInfo>;

/** `POST /v1/mycode/status`: what became of the user's own My Code (a shop resolved it: used). */
export const OneTimeKeyStatus = Type.Object({
  state: Type.Union([Type.Literal('live'), Type.Literal('used'), Type.Literal('expired')]),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});
export type OneTimeKeyStatus = Static<typeof OneTimeKeyStatus>;

/** `GET /wallet/config.json`: how people sign in to the wallet. */
export const WalletConfig = Type.Object({ identity: WalletIdentity, liffId: Type.String() });
export type WalletConfig = Static<typeof WalletConfig>;
