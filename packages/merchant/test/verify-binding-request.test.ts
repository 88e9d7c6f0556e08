import { generateSigningKey, publicJwkToPem } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyCardNetworkError, verifyBindingRequest } from '../src/index.js';
import {
  CHANNEL_ID,
  closedPort,
  type FakePlatform,
  rejection,
  startFakePlatform,
} from './support/fake-platform.js';
import { bindingRequest, CALLBACK, ISSUER, type SigningKey } from './support/tokens.js';

let platform: FakePlatform;
let key: SigningKey;
let jwksUrl: string;

beforeAll(async () => {
  platform = await startFakePlatform();
  key = await generateSigningKey('key-2025-01');
  platform.jwks.keys = [key.publicJwk];
  jwksUrl = `${platform.url}/.well-known/jwks.json`;
});
afterAll(() => platform.close());

const options = () => ({ channelId: CHANNEL_ID, issuer: ISSUER, jwksUrl });

describe('verifyBindingRequest', () => {
  it('accepts a request whose token verifies against the JWKS URL', async () => {
    const { query, claims } = await bindingRequest({ key, bindingId: 'b_HappyPathJwks_0123456789' });
    const result = await verifyBindingRequest(query, options());
    expect(result).toEqual({
      bindingId: 'b_HappyPathJwks_0123456789',
      subject: claims.sub,
      nonce: query.nonce,
      callback: CALLBACK,
      expiresAt: new Date(claims.exp * 1000),
    });
  });

  it('accepts a request verified with the console PEM (no network)', async () => {
    const pem = await publicJwkToPem(key.publicJwk);
    const { query } = await bindingRequest({ key });
    const before = platform.jwksFetches;
    const result = await verifyBindingRequest(query, {
      channelId: CHANNEL_ID,
      issuer: ISSUER,
      publicKey: pem,
    });
    expect(result.callback).toBe(CALLBACK);
    expect(platform.jwksFetches).toBe(before);
  });

  it('accepts a pinned public JWK only for its own kid', async () => {
    const { query } = await bindingRequest({ key });
    await expect(
      verifyBindingRequest(query, { channelId: CHANNEL_ID, issuer: ISSUER, publicKey: key.publicJwk }),
    ).resolves.toMatchObject({ nonce: query.nonce });
    const other = await bindingRequest({ key, kid: 'not-the-pinned-kid' });
    const err = await rejection(() =>
      verifyBindingRequest(other.query, { channelId: CHANNEL_ID, issuer: ISSUER, publicKey: key.publicJwk }),
    );
    expect(err).toMatchObject({ returnCode: '3001', code: 'kid_unknown' });
  });

  it('takes the query as URLSearchParams too', async () => {
    const { query } = await bindingRequest({ key });
    const params = new URLSearchParams({ shop: 'x', ...query });
    await expect(verifyBindingRequest(params, options())).resolves.toMatchObject({ nonce: query.nonce });
  });

  it('refuses a nonce that is not the signed one (3001 nonce_mismatch)', async () => {
    const { query } = await bindingRequest({ key });
    const err = await rejection(() =>
      verifyBindingRequest({ ...query, nonce: `${query.nonce}x` }, options()),
    );
    expect(err).toMatchObject({ returnCode: '3001', status: 400, code: 'nonce_mismatch' });
  });

  it('refuses a callback that is not the signed one (3001 callback_mismatch)', async () => {
    const { query } = await bindingRequest({ key });
    const err = await rejection(() =>
      verifyBindingRequest({ ...query, callback: 'https://evil.test/wallet/bindings/callback' }, options()),
    );
    expect(err).toMatchObject({ returnCode: '3001', code: 'callback_mismatch' });
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '//evil.test/cb',
    'https://user:pw@evil.test/cb',
  ])('refuses a validly signed token whose callback is not a plain http(s) URL: %s', async (callback) => {
    const { query } = await bindingRequest({ key, callback });
    const err = await rejection(() => verifyBindingRequest(query, options()));
    expect(err).toMatchObject({ returnCode: '3001', code: 'callback_invalid' });
  });

  it('refuses a token issued for another channel (3001 aud)', async () => {
    const { query } = await bindingRequest({ key, channelId: '9999999999' });
    const err = await rejection(() => verifyBindingRequest(query, options()));
    expect(err).toMatchObject({ returnCode: '3001', code: 'aud_invalid' });
  });

  it('refuses a token of another issuer (3001)', async () => {
    const { query } = await bindingRequest({ key, issuer: 'https://other.test' });
    const err = await rejection(() => verifyBindingRequest(query, options()));
    expect(err).toMatchObject({ returnCode: '3001', code: 'iss_invalid' });
  });

  it('refuses an expired token (3002)', async () => {
    const issued = new Date(Date.now() - 20 * 60_000);
    const { query } = await bindingRequest({ key, now: issued });
    const err = await rejection(() => verifyBindingRequest(query, options()));
    expect(err).toMatchObject({ returnCode: '3002', status: 410 });
    // The same token was fine while it lived: the clock is injectable.
    const fiveMinutesIn = () => new Date(issued.getTime() + 5 * 60_000);
    await expect(verifyBindingRequest(query, { ...options(), now: fiveMinutesIn })).resolves.toBeTruthy();
  });

  it('refuses a token signed by a key that is not the platform’s (3001)', async () => {
    const impostor = await generateSigningKey(key.kid);
    const { query } = await bindingRequest({ key: impostor });
    const err = await rejection(() => verifyBindingRequest(query, options()));
    expect(err).toMatchObject({ returnCode: '3001', code: 'signature_invalid' });
  });

  it.each([
    ['token missing', { token: undefined }],
    ['nonce empty', { nonce: '' }],
    ['callback repeated', { callback: [CALLBACK, CALLBACK] }],
    ['token over 4 KiB', { token: 'a'.repeat(4097) }],
    ['token not a string', { token: { $gt: '' } }],
  ])('refuses a malformed query before any key lookup: %s (3001)', async (_name, override) => {
    const { query } = await bindingRequest({ key });
    const before = platform.jwksFetches;
    const err = await rejection(() => verifyBindingRequest({ ...query, ...override }, options()));
    expect(err).toMatchObject({ returnCode: '3001', code: 'request_invalid' });
    expect(platform.jwksFetches).toBe(before);
  });

  it('refuses a repeated parameter in URLSearchParams (3001)', async () => {
    const { query } = await bindingRequest({ key });
    const params = new URLSearchParams(query);
    params.append('nonce', query.nonce);
    await expect(verifyBindingRequest(params, options())).rejects.toMatchObject({ code: 'request_invalid' });
  });

  it('wants exactly one key source', async () => {
    const { query } = await bindingRequest({ key });
    const pem = await publicJwkToPem(key.publicJwk);
    await expect(verifyBindingRequest(query, { channelId: CHANNEL_ID, issuer: ISSUER })).rejects.toThrow(
      TypeError,
    );
    await expect(verifyBindingRequest(query, { ...options(), publicKey: pem })).rejects.toThrow(TypeError);
    await expect(verifyBindingRequest(query, { ...options(), channelId: '123' })).rejects.toThrow(TypeError);
  });

  it('reports an unreachable JWKS as MyCardNetworkError, not as a bad token', async () => {
    const { query } = await bindingRequest({ key });
    const port = await closedPort();
    const err = await rejection(() =>
      verifyBindingRequest(query, {
        ...options(),
        jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      }),
    );
    expect(err).toBeInstanceOf(MyCardNetworkError);
    expect(err.code).toBe('network_error');
  });
});
