/** Shapes of the wallet API (PROTOCOL.md §4–§5, docs/protocol-notes.md "Card object"). */

import type { CodeType } from '@mycard/protocol';

export type { CodeType };

export interface ProgramColors {
  background: string;
  foreground: string;
}

export interface DetailLink {
  label: string;
  url: string;
}

export type ProgramDetail =
  | {
      kind: 'template';
      description?: string;
      benefits?: string;
      terms?: string;
      contact?: string;
      links?: DetailLink[];
    }
  /** A custom page on the merchant's site, opened from the card. */
  | { kind: 'custom'; url: string };

export interface ProgramSummary {
  channelId: string;
  name: string;
  logoUrl?: string | null;
  codeType: CodeType;
  colors?: ProgramColors;
  detail?: ProgramDetail;
  /** True when the signed-in user already holds this program's card. */
  cardHeld?: boolean;
}

export interface CardProfile {
  displayName?: string;
  level?: string;
  points?: number;
  pointsExpireAt?: string;
  version?: number;
}

export interface Card {
  bindingId: string;
  channelId: string;
  state: string;
  membershipCode: string;
  boundAt?: string;
  profile?: CardProfile | null;
  program: ProgramSummary;
}

export interface WalletSession {
  userId: string;
  displayName?: string;
  identity?: 'dev' | 'line';
}

export interface Reservation {
  bindingId: string;
  redirectUrl: string;
  expiresAt: string;
}

export interface BindingPreview {
  bindingId: string;
  program: Pick<ProgramSummary, 'channelId' | 'name' | 'logoUrl' | 'colors' | 'codeType'>;
  maskedMembershipCode: string;
  expiresAt: string;
}

export type CallbackStatus = 'SUCCESS' | 'CANCEL' | 'FAIL';

/** A custom detail page's URL with a signed card context (`POST /v1/cards/{bindingId}/detail-link`). */
export interface DetailPageLink {
  url: string;
  expiresAt: string;
}

export interface OneTimeKey {
  oneTimeKey: string;
  expiresAt: string;
}

export interface WalletConfig {
  identity: 'dev' | 'line';
  liffId: string;
}
