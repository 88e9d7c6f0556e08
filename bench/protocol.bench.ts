import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  buildBindingClaims,
  generateSigningKey,
  signBindingToken,
  signRequest,
  verifyBindingToken,
  verifyRequestSignature,
} from '@mycard/protocol';
import { importJWK, jwtVerify } from 'jose';
import { type BenchResult, runGroup } from './harness.js';

/** Protocol hot paths against the plain library calls they wrap. */
export async function benchProtocol(): Promise<BenchResult[]> {
  const key = await generateSigningKey();
  const now = new Date();
  const claims = buildBindingClaims({
    issuer: 'https://mycard.example',
    channelId: '1234567890',
    subject: 's'.repeat(43),
    bindingId: 'b'.repeat(32),
    nonce: 'n'.repeat(43),
    callback: 'https://mycard.example/wallet/bindings/callback',
    now,
  });
  const privateKey = (await importJWK(key.privateJwk, 'ES256')) as CryptoKey;
  const token = await signBindingToken(claims, { kid: key.kid, privateKey });
  const publicKey = (await importJWK(key.publicJwk, 'ES256')) as CryptoKey;
  const resolver = async (kid: string) => (kid === key.kid ? publicKey : undefined);

  const secret = 'a'.repeat(64);
  const body = JSON.stringify({ token, membershipCode: '4901234567894' });
  const nonce = crypto.randomUUID();
  const path = '/v1/bindings/apply';
  const signature = await signRequest({ channelSecret: secret, path, payload: body, nonce });
  const expected = Buffer.from(signature, 'base64');

  return [
    ...(await runGroup('binding token verify', [
      {
        name: 'jose jwtVerify (ES256, no profile checks)',
        baseline: true,
        fn: () => jwtVerify(token, publicKey, { algorithms: ['ES256'] }),
      },
      {
        name: 'verifyBindingToken (full profile)',
        fn: () => verifyBindingToken(token, { keys: resolver, issuer: claims.iss, audience: claims.aud }),
      },
    ])),
    ...(await runGroup('HMAC request verify', [
      {
        name: 'node:crypto createHmac + timingSafeEqual',
        baseline: true,
        fn: () => {
          const mac = createHmac('sha256', secret)
            .update(secret + path + body + nonce)
            .digest();
          return timingSafeEqual(mac, expected);
        },
      },
      {
        name: 'verifyRequestSignature (WebCrypto)',
        fn: () => verifyRequestSignature({ channelSecrets: [secret], path, payload: body, nonce, signature }),
      },
    ])),
  ];
}
