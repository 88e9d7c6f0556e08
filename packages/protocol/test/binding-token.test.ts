import { describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import {
  BINDING_TOKEN_LIFETIME_SECONDS,
  BINDING_TOKEN_TYPE,
  type BindingTokenClaims,
  buildBindingClaims,
  MyCardError,
  signBindingToken,
  TokenExpiredError,
  TokenInvalidError,
  type VerifyBindingTokenOptions,
  verifyBindingToken,
} from '../src/index.js';
import {
  ATTACKER_PRIVATE_JWK,
  CHANNEL_ID,
  FIXED_CLAIMS,
  FIXED_NOW,
  FIXED_TOKEN,
  ISSUER,
  PLATFORM_JWKS,
  PLATFORM_KID,
  PLATFORM_PRIVATE_JWK,
  PLATFORM_PUBLIC_JWK,
} from './fixtures.js';
import { b64url, craftToken, fromB64url, rawToDer, rejection, withSignature } from './helpers.js';

const NOW_S = FIXED_CLAIMS.iat;
const at = (seconds: number) => () => new Date(seconds * 1000);

function options(overrides: Partial<VerifyBindingTokenOptions> = {}): VerifyBindingTokenOptions {
  return {
    keys: PLATFORM_JWKS,
    issuer: ISSUER,
    audience: CHANNEL_ID,
    now: () => FIXED_NOW,
    nonce: FIXED_CLAIMS.nonce,
    callback: FIXED_CLAIMS.callback,
    ...overrides,
  };
}

const HEADER = { alg: 'ES256', typ: BINDING_TOKEN_TYPE, kid: PLATFORM_KID };

/** Signs arbitrary header/claims with the platform key (a token the platform never issued). */
function platformToken(header: object = HEADER, claims: object | string = FIXED_CLAIMS): Promise<string> {
  return craftToken(header, claims, PLATFORM_PRIVATE_JWK);
}

async function expectInvalid(token: string, code: string, opts = options()): Promise<void> {
  const err = await rejection(() => verifyBindingToken(token, opts));
  expect(err).toBeInstanceOf(TokenInvalidError);
  expect(err.returnCode).toBe('3001');
  expect(err.status).toBe(400);
  expect(err.code).toBe(code);
}

describe('fixed test vector', () => {
  it('verifies the fixed token at its issue time and returns the fixed claims', async () => {
    expect(await verifyBindingToken(FIXED_TOKEN, options())).toEqual(FIXED_CLAIMS);
  });

  it('has the protocol header', () => {
    const header = JSON.parse(Buffer.from(defined(FIXED_TOKEN.split('.')[0]), 'base64url').toString());
    expect(header).toEqual({ alg: 'ES256', typ: 'mycard-binding+jwt', kid: PLATFORM_KID });
  });

  it('is still valid within the 60 s skew after exp', async () => {
    const claims = await verifyBindingToken(FIXED_TOKEN, options({ now: at(FIXED_CLAIMS.exp + 60) }));
    expect(claims.jti).toBe(FIXED_CLAIMS.jti);
  });

  it('is expired (3002) beyond the skew', async () => {
    const err = await rejection(() =>
      verifyBindingToken(FIXED_TOKEN, options({ now: at(FIXED_CLAIMS.exp + 61) })),
    );
    expect(err).toBeInstanceOf(TokenExpiredError);
    expect(err).toBeInstanceOf(MyCardError);
    expect(err.returnCode).toBe('3002');
    expect(err.status).toBe(410);
    expect(err.code).toBe('token_expired');
  });

  it('honours a custom skew', async () => {
    const err = await rejection(() =>
      verifyBindingToken(FIXED_TOKEN, options({ now: at(FIXED_CLAIMS.exp + 1), maxSkewSeconds: 0 })),
    );
    expect(err.returnCode).toBe('3002');
  });

  it('verifies without nonce/callback options', async () => {
    const claims = await verifyBindingToken(FIXED_TOKEN, options({ nonce: undefined, callback: undefined }));
    expect(claims).toEqual(FIXED_CLAIMS);
  });
});

describe('buildBindingClaims and signBindingToken', () => {
  const input = {
    issuer: ISSUER,
    channelId: CHANNEL_ID,
    subject: FIXED_CLAIMS.sub,
    bindingId: FIXED_CLAIMS.jti,
    nonce: FIXED_CLAIMS.nonce,
    callback: FIXED_CLAIMS.callback,
    now: new Date(FIXED_NOW.getTime() + 999),
  };

  it('maps the platform names to claims, exp = iat + 600', () => {
    expect(buildBindingClaims(input)).toEqual(FIXED_CLAIMS);
    expect(BINDING_TOKEN_LIFETIME_SECONDS).toBe(600);
  });

  it('accepts a custom lifetime and rejects a nonsensical one', () => {
    expect(buildBindingClaims({ ...input, lifetimeSeconds: 30 }).exp).toBe(FIXED_CLAIMS.iat + 30);
    expect(() => buildBindingClaims({ ...input, lifetimeSeconds: 0 })).toThrow(TypeError);
  });

  it('round-trips with a private JWK', async () => {
    const token = await signBindingToken(FIXED_CLAIMS, {
      kid: PLATFORM_KID,
      privateKey: PLATFORM_PRIVATE_JWK,
    });
    expect(await verifyBindingToken(token, options())).toEqual(FIXED_CLAIMS);
    expect(fromB64url(defined(token.split('.')[2]))).toHaveLength(64);
  });

  it('round-trips with a CryptoKey', async () => {
    const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const publicJwk = { ...(await crypto.subtle.exportKey('jwk', privateKey)), d: undefined, kid: 'k2' };
    const token = await signBindingToken(FIXED_CLAIMS, { kid: 'k2', privateKey });
    const claims = await verifyBindingToken(
      token,
      options({ keys: { keys: [PLATFORM_PUBLIC_JWK, publicJwk] } }),
    );
    expect(claims).toEqual(FIXED_CLAIMS);
  });
});

describe('key sources', () => {
  it('accepts an async resolver returning a JWK or a CryptoKey', async () => {
    const byJwk = async (kid: string) => (kid === PLATFORM_KID ? PLATFORM_PUBLIC_JWK : undefined);
    expect(await verifyBindingToken(FIXED_TOKEN, options({ keys: byJwk }))).toEqual(FIXED_CLAIMS);
    const key = await crypto.subtle.importKey(
      'jwk',
      PLATFORM_PUBLIC_JWK,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    expect(await verifyBindingToken(FIXED_TOKEN, options({ keys: async () => key }))).toEqual(FIXED_CLAIMS);
  });

  it('is kid_unknown when the resolver returns undefined', async () => {
    await expectInvalid(FIXED_TOKEN, 'kid_unknown', options({ keys: async () => undefined }));
  });

  it('ignores keys that are not EC P-256 for ES256', async () => {
    const p384 = { ...PLATFORM_PUBLIC_JWK, crv: 'P-384' };
    const rsa = { kty: 'RSA', kid: PLATFORM_KID, n: 'AQAB', e: 'AQAB' };
    const wrongAlg = { ...PLATFORM_PUBLIC_JWK, alg: 'ES384' };
    const encKey = { ...PLATFORM_PUBLIC_JWK, use: 'enc' };
    for (const jwk of [p384, rsa, wrongAlg, encKey]) {
      await expectInvalid(FIXED_TOKEN, 'kid_unknown', options({ keys: { keys: [jwk] } }));
      await expectInvalid(FIXED_TOKEN, 'kid_unknown', options({ keys: async () => jwk }));
    }
  });

  it('ignores a resolver CryptoKey that is not an ECDSA P-256 public key', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    await expectInvalid(FIXED_TOKEN, 'kid_unknown', options({ keys: async () => hmac as CryptoKey }));
  });

  it('lets resolver errors propagate unchanged', async () => {
    const boom = new Error('jwks fetch failed');
    const err = await rejection(() =>
      verifyBindingToken(
        FIXED_TOKEN,
        options({
          keys: async () => {
            throw boom;
          },
        }),
      ),
    );
    expect(err).toBe(boom);
  });
});

describe('rejections', () => {
  it('rejects garbage, 2-part, 4-part and non-Base64url tokens', async () => {
    const [h, p, s] = FIXED_TOKEN.split('.');
    for (const token of [
      '',
      'garbage',
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}.${p}.${s}!`,
      `*.${p}.${s}`,
    ]) {
      await expectInvalid(token, 'malformed');
    }
    await expectInvalid(`${b64url('[1]')}.${p}.${s}`, 'malformed');
    await expectInvalid(`${b64url('not json')}.${p}.${s}`, 'malformed');
    await expectInvalid('a'.repeat(9000), 'malformed');
  });

  it.each(['none', 'HS256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'es256'])('rejects alg %s', async (alg) => {
    const token = await platformToken({ ...HEADER, alg });
    await expectInvalid(token, 'alg_not_allowed');
  });

  it('rejects alg none with an empty signature', async () => {
    const token = `${b64url(JSON.stringify({ ...HEADER, alg: 'none' }))}.${FIXED_TOKEN.split('.')[1]}.`;
    await expectInvalid(token, 'alg_not_allowed');
  });

  it('rejects HS256 keyed with the public key (algorithm confusion)', async () => {
    const h = b64url(JSON.stringify({ ...HEADER, alg: 'HS256' }));
    const p = defined(FIXED_TOKEN.split('.')[1]);
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(JSON.stringify(PLATFORM_PUBLIC_JWK)),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${h}.${p}`));
    await expectInvalid(`${h}.${p}.${b64url(new Uint8Array(mac))}`, 'alg_not_allowed');
  });

  it('rejects a DER-encoded signature', async () => {
    const raw = fromB64url(defined(FIXED_TOKEN.split('.')[2]));
    await expectInvalid(withSignature(FIXED_TOKEN, rawToDer(raw)), 'signature_invalid');
  });

  it('rejects an all-zero 64-byte signature and a wrong-length one', async () => {
    await expectInvalid(withSignature(FIXED_TOKEN, new Uint8Array(64)), 'signature_invalid');
    await expectInvalid(withSignature(FIXED_TOKEN, new Uint8Array(63).fill(1)), 'signature_invalid');
    await expectInvalid(withSignature(FIXED_TOKEN, new Uint8Array(0)), 'signature_invalid');
  });

  it('rejects a token whose header carries its own key (signed by that attacker key)', async () => {
    const { d: _d, ...attackerPublic } = ATTACKER_PRIVATE_JWK;
    const token = await craftToken({ ...HEADER, jwk: attackerPublic }, FIXED_CLAIMS, ATTACKER_PRIVATE_JWK);
    await expectInvalid(token, 'embedded_key');
  });

  it.each(['jku', 'x5c', 'x5u', 'crit'])('rejects a header carrying %s', async (param) => {
    const value = param === 'x5c' ? ['MIIB'] : param === 'crit' ? ['exp'] : 'https://evil.example/keys';
    await expectInvalid(await platformToken({ ...HEADER, [param]: value }), 'embedded_key');
  });

  it('rejects a token signed by another key under the platform kid', async () => {
    const token = await craftToken(HEADER, FIXED_CLAIMS, ATTACKER_PRIVATE_JWK);
    await expectInvalid(token, 'signature_invalid');
  });

  it('rejects a wrong or missing typ', async () => {
    await expectInvalid(await platformToken({ ...HEADER, typ: 'JWT' }), 'typ_invalid');
    await expectInvalid(await platformToken({ ...HEADER, typ: 'MYCARD-BINDING+JWT' }), 'typ_invalid');
    await expectInvalid(await platformToken({ alg: 'ES256', kid: PLATFORM_KID }), 'typ_invalid');
  });

  it('rejects a missing, empty or unknown kid', async () => {
    await expectInvalid(await platformToken({ alg: 'ES256', typ: BINDING_TOKEN_TYPE }), 'kid_invalid');
    await expectInvalid(await platformToken({ ...HEADER, kid: '' }), 'kid_invalid');
    await expectInvalid(await platformToken({ ...HEADER, kid: 42 }), 'kid_invalid');
    await expectInvalid(await platformToken({ ...HEADER, kid: 'other' }), 'kid_unknown');
  });

  it('checks the header before any key lookup', async () => {
    let lookups = 0;
    const keys = async () => {
      lookups++;
      return PLATFORM_PUBLIC_JWK;
    };
    await expectInvalid(
      await platformToken({ ...HEADER, alg: 'ES384' }),
      'alg_not_allowed',
      options({ keys }),
    );
    await expectInvalid(await platformToken({ ...HEADER, typ: 'JWT' }), 'typ_invalid', options({ keys }));
    expect(lookups).toBe(0);
  });

  it('rejects a tampered payload (one claim changed)', async () => {
    const [h, , s] = FIXED_TOKEN.split('.');
    const tampered = b64url(JSON.stringify({ ...FIXED_CLAIMS, sub: 'u_someone_else' }));
    await expectInvalid(`${h}.${tampered}.${s}`, 'signature_invalid');
  });

  it('checks the signature before the claims', async () => {
    const [h, , s] = FIXED_TOKEN.split('.');
    const tampered = b64url(JSON.stringify({ ...FIXED_CLAIMS, iss: 'https://evil.example' }));
    await expectInvalid(`${h}.${tampered}.${s}`, 'signature_invalid');
  });

  it('rejects a wrong iss', async () => {
    await expectInvalid(
      await platformToken(HEADER, { ...FIXED_CLAIMS, iss: 'https://evil.example' }),
      'iss_invalid',
    );
    await expectInvalid(FIXED_TOKEN, 'iss_invalid', options({ issuer: 'https://mycard.example/' }));
  });

  it('rejects a wrong aud (another channel, or an array)', async () => {
    await expectInvalid(FIXED_TOKEN, 'aud_invalid', options({ audience: '1234567891' }));
    await expectInvalid(
      await platformToken(HEADER, { ...FIXED_CLAIMS, aud: [CHANNEL_ID] }),
      'claims_invalid',
    );
  });

  it.each(['iss', 'aud', 'sub', 'jti', 'nonce', 'callback', 'iat', 'exp'])(
    'rejects a missing %s',
    async (name) => {
      const claims: Partial<BindingTokenClaims> = { ...FIXED_CLAIMS };
      delete claims[name as keyof BindingTokenClaims];
      await expectInvalid(await platformToken(HEADER, claims), 'claims_invalid');
    },
  );

  it('rejects wrongly typed times and a non-object payload', async () => {
    await expectInvalid(
      await platformToken(HEADER, { ...FIXED_CLAIMS, exp: String(FIXED_CLAIMS.exp) }),
      'claims_invalid',
    );
    await expectInvalid(await platformToken(HEADER, '"a string"'), 'claims_invalid');
  });

  it('rejects a future iat beyond the skew, accepts it within', async () => {
    const future = (iat: number) => platformToken(HEADER, { ...FIXED_CLAIMS, iat, exp: iat + 600 });
    await expectInvalid(await future(NOW_S + 61), 'iat_in_future');
    expect((await verifyBindingToken(await future(NOW_S + 60), options())).iat).toBe(NOW_S + 60);
  });

  it('rejects an absurd lifetime or exp before iat', async () => {
    const token = (iat: number, exp: number) => platformToken(HEADER, { ...FIXED_CLAIMS, iat, exp });
    await expectInvalid(await token(NOW_S, NOW_S + 3600 * 24 * 365), 'lifetime_invalid');
    await expectInvalid(await token(NOW_S, NOW_S + 661), 'lifetime_invalid');
    await expectInvalid(await token(NOW_S, NOW_S), 'lifetime_invalid');
    await expectInvalid(await token(NOW_S, NOW_S - 10), 'lifetime_invalid');
    expect((await verifyBindingToken(await token(NOW_S, NOW_S + 660), options())).exp).toBe(NOW_S + 660);
  });

  it('rejects a mismatched nonce or callback (exact comparison)', async () => {
    await expectInvalid(FIXED_TOKEN, 'nonce_mismatch', options({ nonce: 'n0nce_Zq8xJt3Lw2Vb9Yk4Rf7Ue2' }));
    await expectInvalid(FIXED_TOKEN, 'nonce_mismatch', options({ nonce: '' }));
    await expectInvalid(FIXED_TOKEN, 'callback_mismatch', options({ callback: 'https://evil.example/cb' }));
    await expectInvalid(FIXED_TOKEN, 'callback_mismatch', options({ callback: `${FIXED_CLAIMS.callback}/` }));
  });
});
