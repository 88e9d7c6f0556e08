import { generateSigningKey } from '@mycard/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRemoteKeySet,
  MyCardNetworkError,
  type RemoteKeySet,
  verifyBindingRequest,
} from '../src/index.js';
import { CHANNEL_ID, type FakePlatform, rejection, startFakePlatform } from './support/fake-platform.js';
import { bindingRequest, ISSUER, type SigningKey } from './support/tokens.js';

let platform: FakePlatform;
let key: SigningKey;
let clock: number;
const now = () => new Date(clock);

beforeEach(async () => {
  platform = await startFakePlatform();
  key = await generateSigningKey('k-current');
  platform.jwks.keys = [key.publicJwk];
  clock = Date.now();
});
afterEach(() => platform.close());

function keySet(): RemoteKeySet {
  return createRemoteKeySet(`${platform.url}/.well-known/jwks.json`, { now, cooldownMs: 30_000 });
}

/** Verifies a token signed with `kid` in its header through the key set. */
async function verifyWithKid(keys: RemoteKeySet, kid: string, signer = key) {
  const { query } = await bindingRequest({ key: signer, kid, now: now() });
  return verifyBindingRequest(query, { channelId: CHANNEL_ID, issuer: ISSUER, keys, now });
}

describe('createRemoteKeySet', () => {
  it('fetches once and serves later lookups from the cache', async () => {
    const keys = keySet();
    await verifyWithKid(keys, 'k-current');
    await verifyWithKid(keys, 'k-current');
    expect(platform.jwksFetches).toBe(1);
  });

  it('shares one fetch between concurrent first lookups', async () => {
    const keys = keySet();
    await Promise.all(Array.from({ length: 10 }, () => keys('k-current')));
    expect(platform.jwksFetches).toBe(1);
  });

  it('refetches once for an unknown kid, then a flood of unknown kids costs nothing within the cooldown', async () => {
    const keys = keySet();
    await verifyWithKid(keys, 'k-current');
    expect(platform.jwksFetches).toBe(1);

    clock += 31_000; // past the cooldown of the first fetch
    const err = await rejection(() => verifyWithKid(keys, 'k-unknown-0'));
    expect(err).toMatchObject({ returnCode: '3001', code: 'kid_unknown' });
    expect(platform.jwksFetches).toBe(2); // exactly one refetch

    const flood = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => verifyWithKid(keys, `k-random-${i}-${crypto.randomUUID()}`)),
    );
    expect(flood.every((r) => r.status === 'rejected' && r.reason.code === 'kid_unknown')).toBe(true);
    expect(platform.jwksFetches).toBeLessThanOrEqual(3);
    expect(platform.jwksFetches).toBe(2);
  });

  it('lets a flood after the cooldown through to the platform only once', async () => {
    const keys = keySet();
    await keys('k-current');
    clock += 31_000;
    await Promise.all(Array.from({ length: 50 }, (_, i) => keys(`k-random-${i}`)));
    expect(platform.jwksFetches).toBe(2);
  });

  it('picks up a rotated key once the cooldown allows a refetch', async () => {
    const keys = keySet();
    await verifyWithKid(keys, 'k-current');
    const next = await generateSigningKey('k-next');
    platform.jwks.keys = [key.publicJwk, next.publicJwk];

    clock += 31_000;
    await expect(verifyWithKid(keys, 'k-next', next)).resolves.toMatchObject({
      bindingId: expect.any(String),
    });
    expect(platform.jwksFetches).toBe(2);
    // Both keys now verify from the cache.
    await verifyWithKid(keys, 'k-current');
    await verifyWithKid(keys, 'k-next', next);
    expect(platform.jwksFetches).toBe(2);
  });

  it('drops a retired key when the cache expires (10 min)', async () => {
    const keys = keySet();
    await verifyWithKid(keys, 'k-current');
    const next = await generateSigningKey('k-next');
    platform.jwks.keys = [next.publicJwk];

    clock += 9 * 60_000;
    await verifyWithKid(keys, 'k-current'); // still cached
    expect(platform.jwksFetches).toBe(1);
    clock += 61_000;
    const err = await rejection(() => verifyWithKid(keys, 'k-current'));
    expect(err).toMatchObject({ returnCode: '3001', code: 'kid_unknown' });
    expect(platform.jwksFetches).toBe(2);
  });

  it('keeps only EC P-256 keys with a kid', async () => {
    platform.jwks.keys = [
      { kty: 'RSA', kid: 'rsa', n: 'AQAB', e: 'AQAB' } as JsonWebKey,
      { ...key.publicJwk, kid: undefined } as unknown as JsonWebKey,
      key.publicJwk,
    ];
    const keys = keySet();
    expect(await keys('rsa')).toBeUndefined();
    expect(await keys('k-current')).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  it.each([
    ['HTTP 500', { status: 500, body: { returnCode: '9000', returnMessage: 'x' } }, 'bad_response'],
    ['not a JWKS', { status: 200, body: { hello: 'world' } }, 'bad_response'],
    ['HTML', { status: 200, body: '<html>maintenance</html>' }, 'bad_response'],
    ['timeout', { status: 200, body: { keys: [] }, delayMs: 2_000 }, 'timeout'],
  ])('throws MyCardNetworkError when the JWKS fetch fails: %s', async (_name, reply, code) => {
    platform.jwksReply = reply;
    // The timeout case waits 500 ms for an answer held 2 s; the others have time to spare (a loaded
    // machine can take more than 100 ms to answer a local request).
    const timeoutMs = code === 'timeout' ? 500 : 5_000;
    const keys = createRemoteKeySet(`${platform.url}/.well-known/jwks.json`, { now, timeoutMs });
    const err = await rejection(() => keys('k-current'));
    expect(err).toBeInstanceOf(MyCardNetworkError);
    expect(err.code).toBe(code);

    // A failure is not cached: the next lookup tries again and succeeds.
    platform.jwksReply = undefined;
    await expect(keys('k-current')).resolves.toMatchObject({ kid: 'k-current' });
  });
});
