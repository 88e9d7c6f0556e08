import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildBindingClaims,
  signBindingToken,
  TokenInvalidError,
  verifyBindingToken,
} from '@mycard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { openSigningKeyStore, rotateSigningKeys } from '../../src/keys/signing-key-store.js';
import { createClock } from '../helpers/platform.js';

const WINDOW = 720; // binding-token lifetime + skew, as createPlatformApp configures it

describe('signing key store: a retired key stops verifying once its publishing window ends', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('drops the retired key from publicKey() and the JWKS after the window, without a file change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mycard-keys-'));
    dirs.push(dir);
    const file = join(dir, 'signing-keys.json');
    const clock = createClock();
    const first = await openSigningKeyStore({
      file,
      createIfMissing: true,
      publishRetiredFor: WINDOW,
      now: clock.now,
    });
    const oldKey = first.current();
    const claims = buildBindingClaims({
      issuer: 'https://mycard.example',
      channelId: '1234567890',
      subject: 's'.repeat(43),
      bindingId: 'b'.repeat(32),
      nonce: 'n'.repeat(22),
      callback: 'https://mycard.example/wallet/bindings/callback',
      now: clock.now(),
    });
    const token = await signBindingToken(claims, oldKey);
    await rotateSigningKeys(file, WINDOW, clock.now());
    // A process that (re)loaded the file at rotation time and then runs on, the file unchanged.
    const store = await openSigningKeyStore({
      file,
      createIfMissing: false,
      publishRetiredFor: WINDOW,
      now: clock.now,
    });
    const verify = () =>
      verifyBindingToken(token, {
        keys: async (kid) => store.publicKey(kid),
        issuer: 'https://mycard.example',
        audience: '1234567890',
        now: () => new Date(claims.iat * 1000),
        maxSkewSeconds: 0,
      });
    clock.advance(WINDOW - 1);
    expect(store.publicKey(oldKey.kid)).toBeDefined();
    expect(store.jwks().keys.map((k) => (k as { kid?: string }).kid)).toContain(oldKey.kid);
    await expect(verify()).resolves.toMatchObject({ jti: 'b'.repeat(32) });
    clock.advance(2);
    expect(store.publicKey(oldKey.kid)).toBeUndefined();
    expect(store.jwks().keys.map((k) => (k as { kid?: string }).kid)).toEqual([store.current().kid]);
    const err = await verify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenInvalidError);
    expect(err).toMatchObject({ returnCode: '3001', code: 'kid_unknown' });
    // The current key is never affected by time.
    clock.advance(365 * 86400);
    expect(store.publicKey(store.current().kid)).toBeDefined();
  });
});
