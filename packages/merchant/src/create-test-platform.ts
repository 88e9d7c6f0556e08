import {
  type CardProfile,
  type CodeType,
  checkNonceTime,
  type ErrorReturnCode,
  errorEnvelope,
  isOneTimeKey,
  isValidNonce,
  MyCardError,
  SIGNATURE_HEADERS,
  successEnvelope,
  validateMembershipCode,
  verifyBindingToken,
  verifyRequestSignature,
} from '@mycard/protocol';
import {
  createTestBindingRequest,
  createTestSigningKey,
  TEST_ISSUER,
  type TestBindingRequest,
} from './create-test-binding-request.js';
import type { FetchLike } from './send-signed-request.js';
import { checkProfile, checkShape, mergeProfile } from './test-platform-checks.js';

/**
 * Options of {@link createTestPlatform}; all have defaults.
 *
 * @example
 * ```ts
 * const options: TestPlatformOptions = { channelId: '1234567890', codeType: 'EAN13' };
 * ```
 */
export interface TestPlatformOptions {
  /** Default `'1234567890'`. */
  channelId?: string;
  /** Default: 64 random hex characters. */
  channelSecret?: string;
  /** Your program's code type; Apply checks membership codes against it. Default `'QRCODE'`. */
  codeType?: CodeType;
  /** The platform URL: `baseUrl` of your client and `iss` of its tokens. Default `https://mycard.test`. */
  issuer?: string;
  /** The clock; default the system clock. */
  now?: () => Date;
}

/**
 * A binding as the fake platform holds it.
 *
 * @example
 * ```ts
 * const binding: TestBinding | undefined = platform.binding(bindingId);
 * expect(binding?.state).toBe('APPLIED');
 * ```
 */
export interface TestBinding {
  bindingId: string;
  state: 'RESERVED' | 'APPLIED' | 'ACTIVE' | 'CANCELLED' | 'UNBOUND';
  subject: string;
  callback: string;
  membershipCode?: string;
  profile?: CardProfile;
  /** The live completion token of an APPLIED binding. */
  completionToken?: string;
  /** Number of accepted Apply calls. */
  applies: number;
}

/**
 * An in-memory stand-in for the platform's merchant API (PROTOCOL.md §3–§6), from
 * {@link createTestPlatform}.
 *
 * @example
 * ```ts
 * const platform: TestPlatform = await createTestPlatform();
 * ```
 */
export interface TestPlatform {
  readonly channelId: string;
  readonly channelSecret: string;
  /** The platform URL (`baseUrl` for `createMyCardClient`, `issuer` for `verifyBindingRequest`). */
  readonly issuer: string;
  /** The key set of its binding tokens (`keys` for `verifyBindingRequest`). */
  readonly keys: { keys: JsonWebKey[] };
  /** Answers `<issuer>/v1/…` and `<issuer>/.well-known/jwks.json` in memory: pass it as `fetch`. */
  readonly fetch: FetchLike;
  /** Every merchant API call answered, in order. */
  readonly calls: { method: string; path: string; status: number; returnCode: string }[];
  /** Reserves a binding as the wallet would: its request opens your binding page. */
  startBinding(options?: { subject?: string }): Promise<TestBindingRequest & { bindingId: string }>;
  /** The member confirms in the wallet: APPLIED → ACTIVE (what `card.completed` reports). */
  completeBinding(bindingId: string): TestBinding;
  /** A "My Code" one-time key of an ACTIVE card's holder (18 digits, single use). */
  issueOneTimeKey(bindingId: string): string;
  binding(bindingId: string): TestBinding | undefined;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Creates an in-memory fake platform for your tests: `createMyCardClient({ fetch: platform.fetch })`
 * calls it instead of the network, and it answers Apply, profile, unbind and one-time-key calls
 * with the platform's real checks — content type (415/2101) before the HMAC signature (1106),
 * unknown channel (1101), nonce replay and time window (1108), body size (2102), body schema
 * (2101), the binding token (3001/3002), binding states (3003/3004), membership code for the code
 * type (2103), profile versions (3008), one-time keys (3010/3011). No server, no `node:*`.
 *
 * @example
 * ```ts
 * import { createMyCardClient, createTestPlatform, verifyBindingRequest } from '@mycard/merchant';
 *
 * const platform = await createTestPlatform({ codeType: 'EAN13' });
 * const mycard = createMyCardClient({
 *   baseUrl: platform.issuer, channelId: platform.channelId, channelSecret: platform.channelSecret,
 *   fetch: platform.fetch,
 * });
 * const { query, bindingId } = await platform.startBinding();
 * await verifyBindingRequest(query, { channelId: platform.channelId, issuer: platform.issuer, keys: platform.keys });
 * const { callbackUrl } = await mycard.apply({ token: query.token, membershipCode: '4901234567894' });
 * expect(platform.binding(bindingId)?.state).toBe('APPLIED');
 * ```
 */
export async function createTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const channelId = options.channelId ?? '1234567890';
  const channelSecret = options.channelSecret ?? hex(32);
  const codeType = options.codeType ?? 'QRCODE';
  const issuer = (options.issuer ?? TEST_ISSUER).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const signingKey = await createTestSigningKey();
  const keys = { keys: [signingKey.publicJwk as JsonWebKey] };
  const bindings = new Map<string, TestBinding>();
  const oneTimeKeys = new Map<string, { bindingId: string; expiresAt: number; resolvedAt?: string }>();
  const nonces = new Set<string>();
  const calls: TestPlatform['calls'] = [];

  const fail = (returnCode: ErrorReturnCode, code: string): never => {
    throw new MyCardError(returnCode, code);
  };

  async function authenticate(request: Request, path: string, body: Uint8Array, query: string) {
    if (request.method === 'POST' && !JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
      fail('2101', 'content_type');
    }
    if (body.length > MAX_BODY_BYTES) fail('2102', 'body_too_large');
    const channel = request.headers.get(SIGNATURE_HEADERS.channelId);
    const nonce = request.headers.get(SIGNATURE_HEADERS.nonce) ?? '';
    const signature = request.headers.get(SIGNATURE_HEADERS.signature) ?? '';
    if (channel === null || !isValidNonce(nonce) || signature === '') fail('1106', 'auth_header');
    if (channel !== channelId) fail('1101', 'channel_unknown');
    const payload = request.method === 'GET' ? query : body;
    const index = await verifyRequestSignature({
      channelSecrets: [channelSecret],
      path,
      payload,
      nonce,
      signature,
    });
    if (index < 0) fail('1106', 'signature_mismatch');
    checkNonceTime(nonce, now());
    if (nonces.has(nonce)) fail('1108', 'nonce_replayed');
    nonces.add(nonce);
  }

  function bindingOf(bindingId: unknown): TestBinding {
    const binding = typeof bindingId === 'string' ? bindings.get(bindingId) : undefined;
    return binding ?? fail('3003', 'binding_unknown');
  }

  const routes: Record<string, (body: Record<string, unknown>, param: string) => Promise<unknown> | unknown> =
    {
      async 'POST /v1/bindings/apply'(body) {
        checkShape(body, { token: 'string', membershipCode: 'string' }, ['profile']);
        const claims = await verifyBindingToken(body.token as string, {
          keys,
          issuer,
          audience: channelId,
          now,
        });
        const binding = bindingOf(claims.jti);
        const code = body.membershipCode as string;
        validateMembershipCode(codeType, code);
        const profile = body.profile === undefined ? undefined : checkProfile(body.profile);
        if (binding.state === 'APPLIED' && binding.membershipCode !== code) fail('3004', 'binding_state');
        if (binding.state !== 'RESERVED' && binding.state !== 'APPLIED') fail('3004', 'binding_state');
        // A repeated Apply issues a fresh completion token; the old one dies (PROTOCOL.md §4.5).
        const completionToken = hex(16);
        Object.assign(binding, { state: 'APPLIED', membershipCode: code, completionToken });
        if (profile) binding.profile = profile;
        binding.applies++;
        const callbackUrl = new URL(binding.callback);
        callbackUrl.searchParams.set('token', completionToken);
        callbackUrl.searchParams.set('channelId', channelId);
        callbackUrl.searchParams.set('status', 'SUCCESS');
        return {
          bindingId: binding.bindingId,
          completionToken: binding.completionToken,
          callbackUrl: callbackUrl.href,
        };
      },
      'POST /v1/cards/profile'(body) {
        checkShape(body, { bindingId: 'string', profile: 'object' }, []);
        const profile = checkProfile(body.profile, true);
        const binding = bindingOf(body.bindingId);
        if (binding.state !== 'ACTIVE') fail('3003', 'card_unknown');
        if (binding.profile && binding.profile.version >= profile.version) fail('3008', 'profile_stale');
        binding.profile = mergeProfile(binding.profile, profile);
        return { bindingId: binding.bindingId, profile: binding.profile };
      },
      'POST /v1/cards/unbind'(body) {
        checkShape(body, { bindingId: 'string' }, ['reason']);
        const binding = bindingOf(body.bindingId);
        if (binding.state !== 'ACTIVE' && binding.state !== 'UNBOUND') fail('3003', 'card_unknown');
        binding.state = 'UNBOUND';
        return { bindingId: binding.bindingId, state: binding.state };
      },
      'GET /v1/onetimekeys'(_body, key) {
        if (!isOneTimeKey(key)) fail('2101', 'one_time_key_format');
        const entry = oneTimeKeys.get(key);
        if (!entry || entry.expiresAt <= now().getTime()) return fail('3010', 'one_time_key_unknown');
        const binding = bindingOf(entry.bindingId);
        if (binding.state !== 'ACTIVE') fail('3011', 'card_not_held');
        entry.resolvedAt ??= now().toISOString();
        return {
          bindingId: binding.bindingId,
          membershipCode: binding.membershipCode,
          resolvedAt: entry.resolvedAt,
        };
      },
    };

  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== new URL(issuer).origin)
      throw new TypeError(`fetch failed: ${url.origin} is not ${issuer}`);
    if (request.method === 'GET' && url.pathname === '/.well-known/jwks.json') return answer(200, keys);
    const body = new Uint8Array(await request.arrayBuffer());
    const [, area, param = ''] = /^(\/v1\/onetimekeys)\/([^/]*)$/.exec(url.pathname) ?? [];
    const route = routes[`${request.method} ${area ?? url.pathname}`];
    let status = 200;
    let envelope: unknown;
    try {
      if (!route) return fail('4004', 'route_unknown');
      await authenticate(request, url.pathname, body, url.search.replace(/^\?/, ''));
      let parsed: Record<string, unknown> = {};
      if (request.method === 'POST') {
        try {
          parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
        } catch {
          fail('2101', 'json_invalid');
        }
      }
      envelope = successEnvelope(await route(parsed, param));
    } catch (err) {
      if (!(err instanceof MyCardError)) throw err;
      // A wrong or missing content type is 415 / 2101, checked before the signature (PROTOCOL.md §3).
      status = err.code === 'content_type' ? 415 : err.status;
      envelope = errorEnvelope(err.returnCode);
    }
    const returnCode = (envelope as { returnCode: string }).returnCode;
    calls.push({ method: request.method, path: url.pathname, status, returnCode });
    return answer(status, envelope);
  };

  return {
    channelId,
    channelSecret,
    issuer,
    keys,
    fetch,
    calls,
    async startBinding(start = {}) {
      const request = await createTestBindingRequest({
        channelId,
        issuer,
        signingKey,
        now: now(),
        ...(start.subject !== undefined ? { subject: start.subject } : {}),
      });
      const { jti: bindingId, sub: subject, callback } = request.claims;
      bindings.set(bindingId, { bindingId, state: 'RESERVED', subject, callback, applies: 0 });
      return { ...request, bindingId };
    },
    completeBinding(bindingId) {
      const binding = bindingOf(bindingId);
      if (binding.state !== 'APPLIED') fail('3004', 'binding_state');
      binding.state = 'ACTIVE';
      delete binding.completionToken;
      return { ...binding };
    },
    issueOneTimeKey(bindingId) {
      bindingOf(bindingId);
      const key = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(18)), (b) => b % 10).join('');
      oneTimeKeys.set(key, { bindingId, expiresAt: now().getTime() + 300_000 });
      return key;
    },
    binding(bindingId) {
      const binding = bindings.get(bindingId);
      return binding ? { ...binding } : undefined;
    },
  };
}

function hex(bytes: number): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}
