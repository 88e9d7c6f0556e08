import {
  type BindingTokenClaims,
  buildBindingClaims,
  generateSigningKey,
  type PublicSigningJwk,
  signBindingToken,
} from '@mycard/protocol';

/** The issuer of test tokens unless given: a name that never resolves to a real platform. */
export const TEST_ISSUER = 'https://mycard.test';

/**
 * An ES256 key pair for test binding tokens, from {@link createTestSigningKey}. Reuse one across
 * calls so that a key set built once verifies every test token.
 *
 * @example
 * ```ts
 * const signingKey: TestSigningKey = await createTestSigningKey();
 * ```
 */
export type TestSigningKey = Awaited<ReturnType<typeof generateSigningKey>>;

/**
 * Creates a fresh ES256 signing key for {@link createTestBindingRequest}.
 *
 * @example
 * ```ts
 * const signingKey = await createTestSigningKey();
 * const a = await createTestBindingRequest({ channelId, signingKey });
 * const b = await createTestBindingRequest({ channelId, signingKey }); // same key set as `a`
 * ```
 */
export function createTestSigningKey(kid?: string): Promise<TestSigningKey> {
  return generateSigningKey(kid);
}

/**
 * Options of {@link createTestBindingRequest}: everything but `channelId` has a default.
 *
 * @example
 * ```ts
 * const options: TestBindingRequestOptions = { channelId: '1234567890', issuer: 'https://mycard.test' };
 * ```
 */
export interface TestBindingRequestOptions {
  /** Your channel id: the token's `aud`. */
  channelId: string;
  /** The token's `iss`; default {@link TEST_ISSUER}. Pass the same value as `issuer` to `verifyBindingRequest`. */
  issuer?: string;
  /** The wallet callback; default `<issuer>/wallet/bindings/callback`. */
  callback?: string;
  /** Default: 128 random bits, base64url. */
  nonce?: string;
  /** The binding id (`jti`); default a random one. */
  bindingId?: string;
  /** The pairwise wallet-user id (`sub`); default a random one. */
  subject?: string;
  /** Issue time; default now. A time more than 600 s ago gives an expired token. */
  now?: Date;
  /** Sign with this key (default: a new one per call). */
  signingKey?: TestSigningKey;
}

/**
 * A signed binding request as the wallet opens your binding page with it.
 *
 * @example
 * ```ts
 * const { query, keys }: TestBindingRequest = await createTestBindingRequest({ channelId });
 * ```
 */
export interface TestBindingRequest {
  /** The binding page's query: `nonce`, `callback`, `token`. */
  query: { nonce: string; callback: string; token: string };
  /** The key set that verifies the token: pass it as `keys` to `verifyBindingRequest`. */
  keys: { keys: PublicSigningJwk[] };
  /** The signed claims. */
  claims: BindingTokenClaims;
  /** The key that signed it (pass it back as `signingKey` to sign more with the same key set). */
  signingKey: TestSigningKey;
  /** `bindingUrl` with `nonce`, `callback` and `token` added, its own query kept (PROTOCOL.md §4.2). */
  url(bindingUrl: string | URL): string;
}

function randomId(bytes: number): string {
  const raw = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  let binary = '';
  for (const byte of raw) binary += String.fromCharCode(byte);
  return globalThis.btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Creates a binding request signed exactly the way the platform signs one (ES256,
 * `typ: mycard-binding+jwt`, PROTOCOL.md §4.3), with the key set to verify it, so your binding
 * page can be tested without a platform. Next to {@link generateTestSignatureHeaders} (webhooks)
 * and {@link createTestPlatform} (the merchant API).
 *
 * @example
 * ```ts
 * import { createTestBindingRequest, verifyBindingRequest } from '@mycard/merchant';
 *
 * const { query, keys, claims } = await createTestBindingRequest({ channelId: '1234567890' });
 * const binding = await verifyBindingRequest(query, {
 *   channelId: '1234567890', issuer: 'https://mycard.test', keys,
 * });
 * expect(binding.bindingId).toBe(claims.jti);
 * // Or open your page with it: await fetch(request.url('http://127.0.0.1:8080/mycard/bind'))
 * ```
 */
export async function createTestBindingRequest(
  options: TestBindingRequestOptions,
): Promise<TestBindingRequest> {
  if (typeof options.channelId !== 'string' || !/^\d{10}$/.test(options.channelId)) {
    throw new TypeError('channelId must be 10 digits');
  }
  const issuer = options.issuer ?? TEST_ISSUER;
  const signingKey = options.signingKey ?? (await createTestSigningKey());
  const claims = buildBindingClaims({
    issuer,
    channelId: options.channelId,
    subject: options.subject ?? `u_${randomId(16)}`,
    bindingId: options.bindingId ?? randomId(16),
    nonce: options.nonce ?? randomId(16),
    callback: options.callback ?? `${issuer.replace(/\/+$/, '')}/wallet/bindings/callback`,
    now: options.now ?? new Date(),
  });
  const token = await signBindingToken(claims, { kid: signingKey.kid, privateKey: signingKey.privateJwk });
  const query = { nonce: claims.nonce, callback: claims.callback, token };
  return {
    query,
    keys: { keys: [signingKey.publicJwk] },
    claims,
    signingKey,
    url(bindingUrl) {
      const url = new URL(bindingUrl);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      return url.href;
    },
  };
}
