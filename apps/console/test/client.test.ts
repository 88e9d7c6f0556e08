import { describe, expect, it } from 'vitest';
import { ApiError, supportReference } from '../src/api/api-error.js';
import { createApiClient, type FetchLike } from '../src/api/client.js';
import { createConsoleApi } from '../src/api/console-api.js';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    const call = { url, init };
    calls.push(call);
    return respond(call);
  };
  return { fetch, calls };
}

const envelope = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('api client envelope handling', () => {
  it('returns info of a 0000 envelope', async () => {
    const { fetch } = fakeFetch(() =>
      envelope(200, { returnCode: '0000', returnMessage: 'Success.', info: { a: 1 } }),
    );
    await expect(createApiClient(fetch).request('GET', '/v1/console/me')).resolves.toEqual({ a: 1 });
  });

  it('turns an error envelope into an ApiError with its code, status and a reference', async () => {
    const { fetch } = fakeFetch(() =>
      envelope(
        409,
        { returnCode: '2101', returnMessage: 'Request parameter error.' },
        { 'x-request-id': 'req-7' },
      ),
    );
    const error = await createApiClient(fetch)
      .request('POST', '/v1/console/programs', { json: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ returnCode: '2101', status: 409, reference: 'REQ-7-2101' });
  });

  it('reads Retry-After on 429', async () => {
    const { fetch } = fakeFetch(() => envelope(429, { returnCode: '4029' }, { 'retry-after': '42' }));
    const error = await createApiClient(fetch)
      .request('POST', '/v1/console/session', { json: {} })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ returnCode: '4029', retryAfter: 42 });
  });

  it('treats a non-envelope 502 as 9000 and a non-0000 200 as an error', async () => {
    const proxy = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(createApiClient(proxy.fetch).request('GET', '/x')).rejects.toMatchObject({
      returnCode: '9000',
      status: 502,
    });
    const odd = fakeFetch(() => envelope(200, { returnCode: '9000' }));
    await expect(createApiClient(odd.fetch).request('GET', '/x')).rejects.toMatchObject({
      returnCode: '9000',
    });
    const garbage = fakeFetch(() => new Response('not json', { status: 200 }));
    await expect(createApiClient(garbage.fetch).request('GET', '/x')).rejects.toMatchObject({
      returnCode: '9000',
    });
  });

  it('reports a failed fetch as NETWORK', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(createApiClient(fetch).request('GET', '/x')).rejects.toMatchObject({
      returnCode: 'NETWORK',
      status: 0,
    });
  });

  it('sends state-changing calls as JSON with same-origin credentials, GET without a body', async () => {
    const { fetch, calls } = fakeFetch(() => envelope(200, { returnCode: '0000', info: {} }));
    const api = createConsoleApi(createApiClient(fetch));
    await api.me();
    await api.signIn({ email: 'a@example.com', password: 'secret123' });
    await api.setStatus('1234567890', 'LIVE');
    await api.revealSecret('1234567890');
    await api.signOut();
    const [me, signIn, status, reveal, signOut] = calls as [Call, Call, Call, Call, Call];
    expect(me.init.method).toBe('GET');
    expect(me.init.body).toBeUndefined();
    expect(signIn).toMatchObject({
      url: '/v1/console/session',
      init: { method: 'POST', credentials: 'same-origin' },
    });
    expect((signIn.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(signIn.init.body as string)).toEqual({ email: 'a@example.com', password: 'secret123' });
    expect(status.url).toBe('/v1/console/programs/1234567890/status');
    expect(JSON.parse(status.init.body as string)).toEqual({ status: 'LIVE' });
    expect((reveal.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(signOut.init.method).toBe('DELETE');
  });

  it('uploads a logo as the raw image with its content type', async () => {
    const { fetch, calls } = fakeFetch(() => envelope(200, { returnCode: '0000', info: {} }));
    const image = new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' });
    await createConsoleApi(createApiClient(fetch)).uploadLogo('1234567890', image);
    expect(calls[0]!.url).toBe('/v1/console/programs/1234567890/logo');
    expect(calls[0]!.init.method).toBe('PUT');
    expect((calls[0]!.init.headers as Record<string, string>)['Content-Type']).toBe('image/png');
    expect(calls[0]!.init.body).toBe(image);
  });

  it('returns the PEM as text', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFk=\n-----END PUBLIC KEY-----\n';
    const { fetch } = fakeFetch(
      () => new Response(pem, { status: 200, headers: { 'content-type': 'application/x-pem-file' } }),
    );
    await expect(createConsoleApi(createApiClient(fetch)).platformKeyPem()).resolves.toBe(pem);
  });
});

describe('supportReference', () => {
  it('uses a safe request id, else a random one', () => {
    expect(supportReference('4003', 'abc-123')).toBe('ABC-123-4003');
    expect(supportReference('4003', '<script>', () => 0.5)).toMatch(/^[0-9A-Z]+-4003$/);
  });
});
