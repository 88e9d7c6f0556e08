import { CompactSign } from 'jose';

/**
 * The signed card context of a custom detail page (PROTOCOL.md §7: "a custom page URL opened with a
 * signed card context"; docs/protocol-notes.md, "Card context"). A compact JWS signed with the same
 * ES256 keys as binding tokens and published in the same JWKS, with its own `typ` so that a merchant
 * can never mistake one for a binding token (or the reverse).
 */
export const CARD_CONTEXT_TYPE = 'mycard-card-context+jwt';

/** Seconds a card context is valid: long enough to open the page, short enough to be useless later. */
export const CARD_CONTEXT_LIFETIME_SECONDS = 300;

export interface CardContextClaims {
  /** The platform's public URL. */
  iss: string;
  /** The program's channel id. */
  aud: string;
  /** The pairwise subject, the same as the binding token's `sub` for this user and program. */
  sub: string;
  bindingId: string;
  membershipCode: string;
  iat: number;
  exp: number;
  /** Random, so a merchant may refuse a replayed context. */
  jti: string;
}

/** Signs the claims as `{"alg":"ES256","typ":"mycard-card-context+jwt","kid":…}`. */
export async function signCardContext(
  claims: CardContextClaims,
  key: { kid: string; privateKey: CryptoKey },
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'ES256', typ: CARD_CONTEXT_TYPE, kid: key.kid })
    .sign(key.privateKey);
}
