import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import {
  createMyCardClient,
  type FetchLike,
  MyCardApiError,
  type MyCardClientOptions,
  MyCardError,
  MyCardNetworkError,
  SDK_VERSION,
} from '../src/index.js';
import {
  CHANNEL_ID,
  CHANNEL_SECRET,
  closedPort,
  type FakePlatform,
  fail,
  ok,
  rejection,
  startFakePlatform,
} from './support/fake-platform.js';
import { manualTimers, signal } from './support/manual-timers.js';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl';
const KEY = '123456789012345678';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const APPLIED = {
  bindingId: 'b_0123456789abcdefghijkl',
  completionToken: 'ct_abc',
  callbackUrl:
    'https://mycard.test/wallet/bindings/callback?token=ct_abc&channelId=1234567890&status=SUCCESS',
};

let platform: FakePlatform;
beforeEach(async () => {
  platform = await startFakePlatform();
});
afterEach(() => platform.close());

function client(options: Partial<MyCardClientOptions> = {}) {
  return createMyCardClient({
    baseUrl: platform.url,
    channelId: CHANNEL_ID,
    channelSecret: CHANNEL_SECRET,
    ...options,
  });
}

/** A fetch that counts its calls (I/O injection, not a mock of the SDK). */
function countingFetch(): FetchLike & { calls: number } {
  const wrapped = ((input: string, init: RequestInit) => {
    wrapped.calls++;
    return fetch(input, init);
  }) as FetchLike & { calls: number };
  wrapped.calls = 0;
  return wrapped;
}

describe('createMyCardClient — signing', () => {
  it('apply: signs the exact body sent, with the §3 headers', async () => {
    platform.on('POST /v1/bindings/apply', () => ok(APPLIED));
    const profile = { displayName: 'Hanako', points: 120, version: 1 };
    const result = await client({ userAgent: 'shop/1.0' }).apply({
      token: TOKEN,
      membershipCode: '4901234567894',
      profile,
    });

    expect(result).toEqual(APPLIED);
    const [req] = platform.requests;
    expect(defined(req).signatureValid).toBe(true);
    expect(defined(req).method).toBe('POST');
    expect(defined(req).path).toBe('/v1/bindings/apply');
    expect(defined(req).rawBody.toString()).toBe(
      JSON.stringify({ token: TOKEN, membershipCode: '4901234567894', profile }),
    );
    expect(defined(req).headers['x-line-channelid']).toBe(CHANNEL_ID);
    expect(defined(req).nonce).toMatch(UUID);
    expect(defined(req).headers['content-type']).toBe('application/json');
    expect(defined(req).headers['user-agent']).toBe(`shop/1.0 MyCardMerchant/${SDK_VERSION}`);
  });

  it('signs the full pathname when the base URL has a path prefix', async () => {
    platform.on('POST /v1/bindings/apply', () => ok(APPLIED));
    await client({ baseUrl: `${platform.url}/api/` }).apply({ token: TOKEN, membershipCode: 'M-1' });
    expect(platform.requests[0]).toMatchObject({ path: '/api/v1/bindings/apply', signatureValid: true });
  });

  it('updateProfile and unbind send exactly their fields', async () => {
    platform.on('POST /v1/cards/profile', (req) => ok(JSON.parse(req.rawBody.toString())));
    platform.on('POST /v1/cards/unbind', () => ok({ bindingId: 'b1', state: 'UNBOUND' }));
    const c = client();
    await expect(c.updateProfile({ bindingId: 'b1', profile: { points: 5, version: 2 } })).resolves.toEqual({
      bindingId: 'b1',
      profile: { points: 5, version: 2 },
    });
    await expect(c.unbind({ bindingId: 'b1' })).resolves.toEqual({ bindingId: 'b1', state: 'UNBOUND' });
    await c.unbind({ bindingId: 'b1', reason: 'closed' });
    expect(platform.requests.map((r) => [r.path, r.rawBody.toString(), r.signatureValid])).toEqual([
      ['/v1/cards/profile', '{"bindingId":"b1","profile":{"points":5,"version":2}}', true],
      ['/v1/cards/unbind', '{"bindingId":"b1"}', true],
      ['/v1/cards/unbind', '{"bindingId":"b1","reason":"closed"}', true],
    ]);
  });

  it('resolveOneTimeKey: GET signed over an empty query', async () => {
    platform.on('GET /v1/onetimekeys/*', () => ok({ bindingId: 'b1', membershipCode: 'M-1' }));
    await expect(client().resolveOneTimeKey(KEY)).resolves.toEqual({
      bindingId: 'b1',
      membershipCode: 'M-1',
    });
    const [req] = platform.requests;
    expect(req).toMatchObject({
      method: 'GET',
      path: `/v1/onetimekeys/${KEY}`,
      query: '',
      signatureValid: true,
    });
    expect(defined(req).rawBody.length).toBe(0);
    expect(defined(req).headers['content-type']).toBeUndefined();
  });

  it('resolveOneTimeKey: refuses anything but 18 digits before sending', async () => {
    for (const bad of [
      '12345678901234567',
      '12345678901234567x',
      '../v1/cards/unbind',
      '１２３456789012345678',
    ]) {
      const err = await rejection(() => client().resolveOneTimeKey(bad));
      expect(err).toBeInstanceOf(MyCardError);
      expect(err).toMatchObject({ returnCode: '2101', code: 'one_time_key_invalid' });
    }
    expect(platform.requests).toHaveLength(0);
  });

  it('uses a fresh nonce for every call', async () => {
    platform.on('POST /v1/cards/unbind', () => ok({}));
    const c = client();
    await Promise.all(Array.from({ length: 10 }, () => c.unbind({ bindingId: 'b1' })));
    const nonces = new Set(platform.requests.map((r) => r.nonce));
    expect(nonces.size).toBe(10);
  });

  it('validates its options', () => {
    const base = { baseUrl: 'https://mycard.test', channelId: CHANNEL_ID, channelSecret: CHANNEL_SECRET };
    expect(() => createMyCardClient({ ...base, channelId: '12345' })).toThrow(TypeError);
    expect(() => createMyCardClient({ ...base, channelSecret: '' })).toThrow(TypeError);
    expect(() => createMyCardClient({ ...base, baseUrl: 'ftp://mycard.test' })).toThrow(TypeError);
    expect(() => createMyCardClient({ ...base, baseUrl: 'https://mycard.test/?x=1' })).toThrow(TypeError);
    expect(() => createMyCardClient({ ...base, maxRetries: -1 })).toThrow(TypeError);
    expect(() => createMyCardClient({ ...base, timeoutMs: 0 })).toThrow(TypeError);
  });
});

describe('createMyCardClient — errors', () => {
  it('turns an error envelope into MyCardApiError', async () => {
    platform.on('POST /v1/bindings/apply', () => fail('3005', 409));
    const err = await rejection(() => client().apply({ token: TOKEN, membershipCode: 'M-1' }));
    expect(err).toBeInstanceOf(MyCardApiError);
    expect(err).toBeInstanceOf(MyCardError);
    expect(err).toMatchObject({
      returnCode: '3005',
      status: 409,
      code: 'membership_code_taken',
      message: 'error 3005',
      retried: false,
      retryAfter: undefined,
    });
    expect(platform.requests).toHaveLength(1); // 4xx is never retried
  });

  it('4029: MyCardApiError with retryAfter, not retried', async () => {
    platform.on('POST /v1/cards/profile', () => fail('4029', 429, { 'retry-after': '7' }));
    const err = await rejection(() => client().updateProfile({ bindingId: 'b1', profile: { version: 1 } }));
    expect(err).toBeInstanceOf(MyCardApiError);
    expect(err).toMatchObject({ returnCode: '4029', status: 429, retryAfter: 7, code: 'rate_limited' });
    expect(platform.requests).toHaveLength(1);
  });

  it('an unknown returnCode keeps its status and reads as 9000', async () => {
    platform.on('POST /v1/cards/unbind', () => fail('7777', 400));
    const err = await rejection(() => client().unbind({ bindingId: 'b1' }));
    expect(err).toMatchObject({ returnCode: '9000', status: 400, code: 'unknown_return_code' });
  });

  it('a response that is not an envelope is MyCardNetworkError bad_response', async () => {
    platform.on('POST /v1/cards/unbind', () => ({ status: 404, body: '<html>Not Found</html>' }));
    const err = await rejection(() => client().unbind({ bindingId: 'b1' }));
    expect(err).toBeInstanceOf(MyCardNetworkError);
    expect(err).toMatchObject({ code: 'bad_response', status: 404 });
  });
});

describe('createMyCardClient — retries', () => {
  it('apply is retried after two 503s, each retry with a new nonce and signature', async () => {
    platform.on('POST /v1/bindings/apply', (_req, attempt) =>
      attempt < 2 ? fail('9000', 503) : ok(APPLIED),
    );
    await expect(client().apply({ token: TOKEN, membershipCode: 'M-1' })).resolves.toEqual(APPLIED);

    expect(platform.requests).toHaveLength(3);
    expect(platform.requests.every((r) => r.signatureValid)).toBe(true);
    expect(new Set(platform.requests.map((r) => r.nonce)).size).toBe(3);
    expect(new Set(platform.requests.map((r) => r.headers['x-line-authorization'])).size).toBe(3);
    expect(new Set(platform.requests.map((r) => r.rawBody.toString())).size).toBe(1);
  });

  it('gives up after maxRetries and says the error came from a retry', async () => {
    platform.on('POST /v1/cards/unbind', () => fail('9000', 500));
    const err = await rejection(() => client({ maxRetries: 1 }).unbind({ bindingId: 'b1' }));
    expect(err).toMatchObject({ returnCode: '9000', status: 500, retried: true });
    expect(platform.requests).toHaveLength(2);
  });

  it('retries a proxy 502 without an envelope, then reports bad_response', async () => {
    platform.on('POST /v1/cards/unbind', () => ({ status: 502, body: '<html>Bad Gateway</html>' }));
    const err = await rejection(() => client().unbind({ bindingId: 'b1' }));
    expect(err).toMatchObject({
      name: 'MyCardNetworkError',
      code: 'bad_response',
      status: 502,
      retried: true,
    });
    expect(platform.requests).toHaveLength(3);
  });

  it('updateProfile: a 3008 on a retry is flagged retried (the first attempt landed)', async () => {
    // The first attempt is applied but its answer is lost; the retry then finds the version stale.
    platform.on('POST /v1/cards/profile', (_req, attempt) =>
      attempt === 0 ? { status: 0, destroy: true } : fail('3008', 409),
    );
    const err = await rejection(() => client().updateProfile({ bindingId: 'b1', profile: { version: 9 } }));
    expect(err).toBeInstanceOf(MyCardApiError);
    expect(err).toMatchObject({ returnCode: '3008', retried: true, code: 'profile_stale' });
    expect(platform.requests).toHaveLength(2);
  });

  it('resolveOneTimeKey is NOT retried on 503', async () => {
    platform.on('GET /v1/onetimekeys/*', () => fail('9000', 503));
    const err = await rejection(() => client().resolveOneTimeKey(KEY));
    expect(err).toMatchObject({ name: 'MyCardApiError', returnCode: '9000', status: 503, retried: false });
    expect(platform.requests).toHaveLength(1);
  });

  it('resolveOneTimeKey is NOT retried when the connection drops after sending', async () => {
    platform.on('GET /v1/onetimekeys/*', () => ({ status: 0, destroy: true }));
    const err = await rejection(() => client().resolveOneTimeKey(KEY));
    expect(err).toMatchObject({ name: 'MyCardNetworkError', code: 'network_error', retried: false });
    expect(platform.requests).toHaveLength(1);
  });

  it('apply IS retried when the connection drops', async () => {
    platform.on('POST /v1/bindings/apply', (_req, attempt) =>
      attempt === 0 ? { status: 0, destroy: true } : ok(APPLIED),
    );
    await expect(client().apply({ token: TOKEN, membershipCode: 'M-1' })).resolves.toEqual(APPLIED);
    expect(platform.requests).toHaveLength(2);
  });

  it('a closed port is MyCardNetworkError after the retries — for every call, as nothing was sent', async () => {
    const port = await closedPort();
    const counting = countingFetch();
    const c = createMyCardClient({
      baseUrl: `http://127.0.0.1:${port}`,
      channelId: CHANNEL_ID,
      channelSecret: CHANNEL_SECRET,
      fetch: counting,
    });
    const err = await rejection(() => c.apply({ token: TOKEN, membershipCode: 'M-1' }));
    expect(err).toBeInstanceOf(MyCardNetworkError);
    expect(err).toMatchObject({ code: 'network_error', retried: true });
    expect(err.cause).toBeDefined();
    expect(counting.calls).toBe(3);
    // One base class for every SDK error: a caller's `instanceof MyCardError` catches this one too.
    expect(err).toBeInstanceOf(MyCardError);
    expect(err).toMatchObject({ returnCode: '9000', status: 0 });

    // Connection refused proves the key was never sent: even the single-use call may retry.
    counting.calls = 0;
    await expect(c.resolveOneTimeKey(KEY)).rejects.toMatchObject({ code: 'network_error', retried: true });
    expect(counting.calls).toBe(3);
  });

  it('times out (AbortSignal) when the attempt timer runs out, and reports timeout', async () => {
    const clock = manualTimers();
    const arrival = signal();
    platform.on('POST /v1/cards/unbind', () => {
      arrival.reach();
      return { status: 200, hang: true };
    });
    const pending = rejection(() =>
      client({ timeoutMs: 100, maxRetries: 0, timers: clock.timers }).unbind({ bindingId: 'b1' }),
    );
    await arrival.reached;
    expect(clock.started).toEqual([100]);
    clock.expire();
    const err = await pending;
    expect(err).toBeInstanceOf(MyCardNetworkError);
    expect(err).toMatchObject({ code: 'timeout', retried: false });
    expect(clock.sleeps).toEqual([]);
  });

  it('cancels the attempt timer once an answer arrives', async () => {
    const clock = manualTimers();
    platform.on('POST /v1/cards/unbind', () => ok({}));
    await expect(client({ timers: clock.timers }).unbind({ bindingId: 'b1' })).resolves.toEqual({});
    expect(clock.started).toEqual([10_000]);
    expect(clock.running()).toBe(0);
  });

  it('retries an idempotent call after a timeout, but never a single-use one', async () => {
    const clock = manualTimers();
    const arrival = signal();
    platform.on('POST /v1/cards/unbind', (_req, attempt) => {
      if (attempt > 0) return ok({});
      arrival.reach();
      return { status: 200, hang: true };
    });
    const unbind = client({ timeoutMs: 300, timers: clock.timers }).unbind({ bindingId: 'b1' });
    await arrival.reached;
    clock.expire();
    await expect(unbind).resolves.toEqual({});
    expect(platform.requests).toHaveLength(2);
    expect(clock.started).toEqual([300, 300]);
    expect(clock.sleeps).toHaveLength(1);

    platform.requests.length = 0;
    const single = manualTimers();
    const keyArrival = signal();
    platform.on('GET /v1/onetimekeys/*', () => {
      keyArrival.reach();
      return { status: 200, hang: true };
    });
    const resolve = rejection(() => client({ timeoutMs: 100, timers: single.timers }).resolveOneTimeKey(KEY));
    await keyArrival.reached;
    single.expire();
    expect(await resolve).toMatchObject({ code: 'timeout', retried: false });
    expect(platform.requests).toHaveLength(1);
    expect(single.sleeps).toEqual([]);
  });

  it('waits the jittered backoff between retries, and a short Retry-After of a 5xx', async () => {
    const clock = manualTimers();
    platform.on('POST /v1/bindings/apply', (_req, attempt) =>
      attempt < 2 ? fail('9000', 503) : ok(APPLIED),
    );
    await expect(
      client({ timers: clock.timers }).apply({ token: TOKEN, membershipCode: 'M-1' }),
    ).resolves.toEqual(APPLIED);
    const [first = 0, second = 0] = clock.sleeps;
    expect(clock.sleeps).toHaveLength(2);
    expect(first).toBeGreaterThanOrEqual(100);
    expect(first).toBeLessThanOrEqual(200);
    expect(second).toBeGreaterThanOrEqual(200);
    expect(second).toBeLessThanOrEqual(400);

    // Retry-After in seconds, then as an HTTP-date read against the injected clock.
    const after = manualTimers();
    const inThreeSeconds = new Date(after.timers.now().getTime() + 3000).toUTCString();
    platform.on('POST /v1/cards/unbind', (_req, attempt) =>
      attempt === 0
        ? fail('9000', 503, { 'retry-after': '2' })
        : attempt === 1
          ? fail('9000', 503, { 'retry-after': inThreeSeconds })
          : ok({}),
    );
    await expect(client({ timers: after.timers }).unbind({ bindingId: 'b1' })).resolves.toEqual({});
    expect(after.sleeps).toEqual([2000, 3000]);

    // A Retry-After beyond what the SDK waits for itself goes to the caller, unwaited.
    const long = manualTimers();
    platform.on('POST /v1/cards/profile', () => fail('9000', 503, { 'retry-after': '60' }));
    const err = await rejection(() =>
      client({ timers: long.timers }).updateProfile({ bindingId: 'b1', profile: { version: 1 } }),
    );
    expect(err).toMatchObject({ returnCode: '9000', status: 503, retryAfter: 60 });
    expect(long.sleeps).toEqual([]);
  });
});
