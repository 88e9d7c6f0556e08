import { generateKeyPairSync } from 'node:crypto';
import {
  buildBindingClaims,
  type CryptoProvider,
  generateSigningKey,
  prepareChannelSecret,
  signBindingToken,
  signRequest,
  TokenInvalidError,
  verifyBindingToken,
  verifyRequestSignature,
  webCryptoProvider,
} from '@mycard/protocol';
import { importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { nodeCryptoProvider } from '../../src/crypto/node-crypto-provider.js';

const PROVIDERS: [string, CryptoProvider][] = [
  ['webcrypto', webCryptoProvider],
  ['node:crypto', nodeCryptoProvider],
];
const ISSUER = 'https://mycard.example';
const CHANNEL = '1234567890';

function b64url(data: Uint8Array | string): string {
  return Buffer.from(typeof data === 'string' ? new TextEncoder().encode(data) : data).toString('base64url');
}

function claims() {
  return buildBindingClaims({
    issuer: ISSUER,
    channelId: CHANNEL,
    subject: 's'.repeat(43),
    bindingId: 'b'.repeat(32),
    nonce: 'n'.repeat(43),
    callback: `${ISSUER}/wallet/bindings/callback`,
    now: new Date(),
  });
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TokenInvalidError) return err.code;
    throw err;
  }
  throw new Error('accepted');
}

describe('crypto providers: HMAC request signatures', () => {
  const secret = 'f'.repeat(32) + '0123456789abcdef'.repeat(2);
  const other = '0'.repeat(64);
  const input = {
    path: '/v1/bindings/apply',
    payload: '{"token":"t","membershipCode":"4901234567894"}',
    nonce: 'n'.repeat(20),
  };

  it('both providers sign to the same bytes, also for binary payloads and non-ASCII secrets', async () => {
    for (const s of [secret, 'ß秘密🔑'.repeat(5)]) {
      for (const payload of [input.payload, new Uint8Array([0, 255, 1, 254, 10])]) {
        const web = await signRequest({ ...input, payload, channelSecret: s, crypto: webCryptoProvider });
        const node = await signRequest({ ...input, payload, channelSecret: s, crypto: nodeCryptoProvider });
        expect(node).toBe(web);
        expect(node).toHaveLength(44);
      }
    }
  });

  it.each(PROVIDERS)(
    '%s: a signature verifies with text and prepared secrets of either provider',
    async (_, provider) => {
      const signature = await signRequest({ ...input, channelSecret: secret, crypto: provider });
      for (const [, verifier] of PROVIDERS) {
        const prepared = await prepareChannelSecret(secret, verifier);
        const preparedOther = await prepareChannelSecret(other, verifier);
        expect(
          await verifyRequestSignature({ ...input, signature, channelSecrets: [secret], crypto: verifier }),
        ).toBe(0);
        // Rotation overlap: the index of the secret that matched.
        expect(
          await verifyRequestSignature({ ...input, signature, channelSecrets: [preparedOther, prepared] }),
        ).toBe(1);
      }
    },
  );

  it.each(PROVIDERS)('%s refuses forged and tampered signatures', async (_, provider) => {
    const signature = await signRequest({ ...input, channelSecret: secret, crypto: provider });
    const prepared = await prepareChannelSecret(secret, provider);
    const mac = Buffer.from(signature, 'base64');
    const flipped = Buffer.from(mac);
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    const forgedWithOther = await signRequest({ ...input, channelSecret: other, crypto: provider });
    const cases: { signature: string; payload?: string; nonce?: string; path?: string }[] = [
      { signature: flipped.toString('base64') },
      { signature: forgedWithOther },
      { signature, payload: `${input.payload} ` },
      { signature, nonce: 'm'.repeat(20) },
      { signature, path: '/v1/cards/profile' },
      { signature: signature.slice(0, 43) },
      { signature: `${signature.slice(0, 43)}!` },
      { signature: Buffer.alloc(32).toString('base64') },
      {
        signature: Buffer.concat([mac, Buffer.from([0])])
          .toString('base64')
          .slice(0, 44),
      },
      { signature: '' },
    ];
    for (const c of cases) {
      const attempt = { ...input, ...c };
      expect(await verifyRequestSignature({ ...attempt, channelSecrets: [prepared] })).toBe(-1);
      expect(await verifyRequestSignature({ ...attempt, channelSecrets: [secret], crypto: provider })).toBe(
        -1,
      );
    }
  });
});

describe('crypto providers: ES256 binding tokens', () => {
  it('both providers make the same header and payload; each one verifies the other, and so does jose', async () => {
    const key = await generateSigningKey();
    const c = claims();
    const tokens = await Promise.all(
      PROVIDERS.map(([, crypto]) =>
        signBindingToken(c, { kid: key.kid, privateKey: key.privateJwk }, { crypto }),
      ),
    );
    const web = defined3(String(tokens[0]).split('.'));
    const node = defined3(String(tokens[1]).split('.'));
    expect(node[0]).toBe(web[0]);
    expect(node[1]).toBe(web[1]);
    expect(JSON.parse(Buffer.from(node[0], 'base64url').toString())).toEqual({
      alg: 'ES256',
      typ: 'mycard-binding+jwt',
      kid: key.kid,
    });
    const jwk = await importJWK(key.publicJwk, 'ES256');
    for (const token of tokens) {
      expect((await jwtVerify(token, jwk, { algorithms: ['ES256'] })).payload).toEqual(c);
      for (const [, crypto] of PROVIDERS) {
        const verified = await verifyBindingToken(token, {
          keys: { keys: [key.publicJwk] },
          issuer: ISSUER,
          audience: CHANNEL,
          crypto,
        });
        expect(verified).toEqual(c);
      }
    }
  });

  it('signs with a CryptoKey as with a JWK (the platform keeps CryptoKeys)', async () => {
    const key = await generateSigningKey();
    const privateKey = (await importJWK(key.privateJwk, 'ES256')) as CryptoKey;
    const publicKey = (await importJWK(key.publicJwk, 'ES256')) as CryptoKey;
    for (const [, crypto] of PROVIDERS) {
      const token = await signBindingToken(claims(), { kid: key.kid, privateKey }, { crypto });
      for (const [, verifier] of PROVIDERS) {
        await expect(
          verifyBindingToken(token, {
            keys: async () => publicKey,
            issuer: ISSUER,
            audience: CHANNEL,
            crypto: verifier,
          }),
        ).resolves.toMatchObject({ aud: CHANNEL });
      }
    }
  });

  it.each(PROVIDERS)('%s refuses forged and tampered tokens', async (_, crypto) => {
    const key = await generateSigningKey();
    const attacker = await generateSigningKey();
    const c = claims();
    const token = await signBindingToken(c, { kid: key.kid, privateKey: key.privateJwk }, { crypto });
    const [h, p, s] = defined3(token.split('.'));
    const sig = Buffer.from(s, 'base64url');
    const flipped = Buffer.from(sig);
    flipped[10] = (flipped[10] ?? 0) ^ 0x40;
    const otherAud = b64url(JSON.stringify({ ...c, aud: '9999999999' }));
    const forged = await signBindingToken(c, { kid: key.kid, privateKey: attacker.privateJwk }, { crypto });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
    const cases: [string, string, JsonWebKey[]][] = [
      ['signature_invalid', `${h}.${p}.${flipped.toString('base64url')}`, [key.publicJwk]],
      ['signature_invalid', `${h}.${otherAud}.${s}`, [key.publicJwk]],
      ['signature_invalid', forged, [key.publicJwk]],
      ['signature_invalid', `${h}.${p}.${b64url(new Uint8Array(64))}`, [key.publicJwk]],
      [
        'signature_invalid',
        `${h}.${p}.${b64url(Buffer.concat([Buffer.alloc(32), sig.subarray(32)]))}`,
        [key.publicJwk],
      ],
      ['signature_invalid', `${h}.${p}.${b64url(sig.subarray(0, 63))}`, [key.publicJwk]],
      [
        'alg_not_allowed',
        `${b64url(JSON.stringify({ alg: 'none', typ: 'mycard-binding+jwt', kid: key.kid }))}.${p}.`,
        [key.publicJwk],
      ],
      ['kid_unknown', token, [attacker.publicJwk]],
      ['kid_unknown', token, [{ ...p384, kid: key.kid } as JsonWebKey]],
      ['kid_unknown', token, [{ ...key.publicJwk, x: attacker.publicJwk.x } as JsonWebKey]],
    ];
    for (const [code, t, keys] of cases) {
      expect(
        await refusal(verifyBindingToken(t, { keys: { keys }, issuer: ISSUER, audience: CHANNEL, crypto })),
      ).toBe(code);
    }
  });
});

function defined3(parts: string[]): [string, string, string] {
  if (parts.length !== 3) throw new Error(`expected 3 parts, got ${parts.length}`);
  return parts as [string, string, string];
}
