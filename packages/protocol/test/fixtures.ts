/**
 * Fixed test vectors for the protocol package. Generated once with generateSigningKey() and
 * signBindingToken() and pasted here: they must never be regenerated, so that a change of
 * behaviour shows up as a failing test instead of a silently new vector.
 */
import type { BindingTokenClaims } from '../src/index.js';

/** The platform's signing key (EC P-256). Test-only: never use it anywhere else. */
export const PLATFORM_PRIVATE_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'guquCyl-g0K7EfadQSjCR04ZCdf309-YZyqhU9pQvRU',
  y: 'bWGO34RRgP-fdzoDNzxlVBGhSfir8KveC7cf-wqYfxg',
  d: 'v_IRLJ1B4vk_XMnKqLP3Jdhjrq-8D5oBZTN66t1KZME',
  kid: 'Dq6L0CnKCNIaWqrFUpJjd13rYzy1dEkV2Eq0_YxPzxs',
  alg: 'ES256',
  use: 'sig',
} as const;

/** Its kid: the RFC 7638 thumbprint of the public key. */
export const PLATFORM_KID = 'Dq6L0CnKCNIaWqrFUpJjd13rYzy1dEkV2Eq0_YxPzxs';

export const PLATFORM_PUBLIC_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'guquCyl-g0K7EfadQSjCR04ZCdf309-YZyqhU9pQvRU',
  y: 'bWGO34RRgP-fdzoDNzxlVBGhSfir8KveC7cf-wqYfxg',
  kid: PLATFORM_KID,
  alg: 'ES256',
  use: 'sig',
} as const;

/** The JWKS a merchant would fetch from /.well-known/jwks.json. */
export const PLATFORM_JWKS = { keys: [{ ...PLATFORM_PUBLIC_JWK }] };

/** A key the attacker controls. */
export const ATTACKER_PRIVATE_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'YDs8yIhttBmb9vQm6X4RFDot08LFWG-OHvwITqiub6g',
  y: 'c5KJ9b3qHbHYJJWx7v0ONO0w2oyvyf7tik43TxgR4UA',
  d: 'jYShCTTBJoPOmko-1JLPLhETdMIVpsfoKMsZyuxL-mA',
} as const;

export const ISSUER = 'https://mycard.example';
export const CHANNEL_ID = '1234567890';

/** The claims of {@link FIXED_TOKEN}: issued 2025-01-15T03:00:00Z, 600 s lifetime. */
export const FIXED_CLAIMS: BindingTokenClaims = {
  iss: 'https://mycard.example',
  aud: '1234567890',
  sub: 'u_pairwise_0123456789abcdef',
  jti: 'b_4Qm9Zx2LrT7vKp1sWy8nHc',
  nonce: 'n0nce_Zq8xJt3Lw2Vb9Yk4Rf7Ue1',
  callback: 'https://mycard.example/wallet/bindings/callback',
  iat: 1736910000,
  exp: 1736910600,
};

/** The time at which FIXED_CLAIMS were built. */
export const FIXED_NOW = new Date('2025-01-15T03:00:00Z');

/** FIXED_CLAIMS signed with PLATFORM_PRIVATE_JWK (header alg ES256, typ mycard-binding+jwt, kid). */
export const FIXED_TOKEN =
  'eyJhbGciOiJFUzI1NiIsInR5cCI6Im15Y2FyZC1iaW5kaW5nK2p3dCIsImtpZCI6IkRxNkwwQ25LQ05JYVdxckZVcEpqZDEzcll6eTFkRWtWMkVxMF9ZeFB6eHMifQ' +
  '.eyJpc3MiOiJodHRwczovL215Y2FyZC5leGFtcGxlIiwiYXVkIjoiMTIzNDU2Nzg5MCIsInN1YiI6InVfcGFpcndpc2VfMDEyMzQ1Njc4OWFiY2RlZiIsImp0aSI6ImJfNFFtOVp4MkxyVDd2S3Axc1d5OG5IYyIsIm5vbmNlIjoibjBuY2VfWnE4eEp0M0x3MlZiOVlrNFJmN1VlMSIsImNhbGxiYWNrIjoiaHR0cHM6Ly9teWNhcmQuZXhhbXBsZS93YWxsZXQvYmluZGluZ3MvY2FsbGJhY2siLCJpYXQiOjE3MzY5MTAwMDAsImV4cCI6MTczNjkxMDYwMH0' +
  '.wRdV--IcN0u7PTOOgtYV6KlFzx_txWr6MJtWJU7zNQn9T-V0ji5cHrI6eJwPFWEOl0MAWxF1MJCsHom9wZY51Q';

/** A channel secret: 256 bits as 64 hex chars (PROTOCOL.md §3). */
export const CHANNEL_SECRET = 'a3f1c9e27b5d4086f2e1b7c3d9a0e5f4c6b8d2a1e7f3c5b9d0a4e6f2c8b1d3e5';
export const OTHER_SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const HMAC_NONCE = 'e3b0c442-98fc-4c14-9afb-f4c8996fb924';
export const APPLY_PATH = '/v1/bindings/apply';
export const APPLY_BODY = '{"token":"t","membershipCode":"4901234567894"}';

/**
 * Expected signatures, computed once, independently of this package, with
 * `createHmac('sha256', CHANNEL_SECRET).update(CHANNEL_SECRET + path + payload + HMAC_NONCE).digest('base64')`.
 */
export const APPLY_SIGNATURE = 'rFlMupaXg3fNVykm17rjsP3inrYOCsxs/C4KRUyicKs=';
/** GET /v1/programs?query=caf%C3%A9&limit=10 */
export const GET_PROGRAMS_PATH = '/v1/programs';
export const GET_PROGRAMS_QUERY = 'query=caf%C3%A9&limit=10';
export const GET_PROGRAMS_SIGNATURE = 'LXYGLa4xjbJq3PoQSntl6qPyYghedOYgdIUeGVtc76g=';
/** GET /v1/onetimekeys/123456789012345678 (no query string: payload ''). */
export const GET_KEY_PATH = '/v1/onetimekeys/123456789012345678';
export const GET_KEY_SIGNATURE = 'jugJXViEl7lmIz+WWsqdu7rtnuGtiJYxW1esry4PZ9k=';

/** RFC 9562 Appendix A example UUIDs: both carry 2022-02-22T19:22:22Z. */
export const UUID_V1 = 'c232ab00-9414-11ec-b3c8-9f6bdeced846';
export const UUID_V7 = '017f22e2-79b0-7cc3-98c4-dc0c0c07398f';
export const UUID_TIME_MS = Date.UTC(2022, 1, 22, 19, 22, 22);
export const UUID_V4 = '919108f7-52d1-4320-9bac-f847db4148a8';
