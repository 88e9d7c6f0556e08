import { describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import { createApiClient, type FetchLike } from '../src/api/api-client.js';
import { ApiError, supportReference } from '../src/api/api-error.js';
import { type FetchCall as Call, fakeFetch, jsonResponse as json } from '../src/testing/fake-fetch.js';

const headersOf = (call: Call) => call.init.headers as Record<string, string>;

describe('api client: envelopes', () => {
  it('returns info of a 0000 envelope', async () => {
    const { fetch } = fakeFetch(() =>
      json(200, { returnCode: '0000', returnMessage: 'Success.', info: { a: 1 } }),
    );
    await expect(createApiClient({ fetch }).get('/v1/x')).resolves.toEqual({ a: 1 });
    await expect(createApiClient({ fetch }).request('GET', '/v1/console/me')).resolves.toEqual({ a: 1 });
  });

  it('turns an error envelope into an ApiError with the return code, status, request id and reference', async () => {
    const { fetch } = fakeFetch(() =>
      json(
        403,
        { returnCode: '3007', returnMessage: 'Binding belongs to another wallet user.' },
        { 'x-request-id': 'req42' },
      ),
    );
    const error = await createApiClient({ fetch })
      .post('/v1/bindings/complete', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ returnCode: '3007', status: 403, requestId: 'req42' });
    expect((error as ApiError).reference).toBe('3007-req42');
    const conflict = fakeFetch(() =>
      json(
        409,
        { returnCode: '2101', returnMessage: 'Request parameter error.' },
        { 'x-request-id': 'req-7' },
      ),
    );
    await expect(
      createApiClient({ fetch: conflict.fetch }).request('POST', '/v1/console/programs', { json: {} }),
    ).rejects.toMatchObject({ returnCode: '2101', status: 409, reference: '2101-req-7' });
  });

  it('reads Retry-After on 429', async () => {
    const { fetch } = fakeFetch(() => json(429, { returnCode: '4029' }, { 'retry-after': '42' }));
    const error = await createApiClient({ fetch })
      .request('POST', '/v1/console/session', { json: {} })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ returnCode: '4029', retryAfter: 42 });
  });

  it('reports a body that is not an envelope as BAD_RESPONSE, and a non-0000 200 as an error', async () => {
    const html = fakeFetch(() => new Response('<h1>502 Bad Gateway</h1>', { status: 502 }));
    await expect(createApiClient({ fetch: html.fetch }).get('/v1/cards')).rejects.toMatchObject({
      returnCode: 'BAD_RESPONSE',
      status: 502,
    });
    const odd = fakeFetch(() => json(200, { ok: true }));
    await expect(createApiClient({ fetch: odd.fetch }).get('/v1/cards')).rejects.toMatchObject({
      returnCode: 'BAD_RESPONSE',
    });
    const garbage = fakeFetch(() => new Response('not json', { status: 200 }));
    await expect(createApiClient({ fetch: garbage.fetch }).get('/x')).rejects.toMatchObject({
      returnCode: 'BAD_RESPONSE',
    });
    const failed = fakeFetch(() => json(200, { returnCode: '9000' }));
    await expect(createApiClient({ fetch: failed.fetch }).get('/x')).rejects.toMatchObject({
      returnCode: '9000',
    });
  });

  it('reports a failed fetch as NETWORK, and passes an abort through', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(createApiClient({ fetch }).get('/v1/cards')).rejects.toMatchObject({
      returnCode: 'NETWORK',
      status: 0,
    });
    const aborted: FetchLike = async () => {
      throw new DOMException('aborted', 'AbortError');
    };
    await expect(createApiClient({ fetch: aborted }).get('/v1/cards')).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('api client: requests the CSRF guard accepts', () => {
  it('sends JSON with same-origin credentials on POST, no body on GET and DELETE', async () => {
    const { fetch, calls } = fakeFetch(() =>
      json(200, { returnCode: '0000', returnMessage: 'Success.', info: {} }),
    );
    const api = createApiClient({ fetch });
    await api.post('/v1/bindings', { channelId: '1234567890' });
    await api.get('/v1/cards');
    await api.delete('/v1/cards/abc');
    await api.request('POST', '/v1/console/programs/1/secret/reveal');
    const [post, get, del, bare] = calls as [Call, Call, Call, Call];
    expect(post.init).toMatchObject({ method: 'POST', credentials: 'same-origin', cache: 'no-store' });
    expect(headersOf(post)['content-type']).toBe('application/json');
    expect(post.init.body).toBe('{"channelId":"1234567890"}');
    expect(get.init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(get.init.body).toBeUndefined();
    expect(del.init).toMatchObject({ method: 'DELETE' });
    expect(del.init.body).toBeUndefined();
    expect(headersOf(bare)['content-type']).toBe('application/json');
    expect(bare.init.body).toBe('{}');
  });

  it('uploads a raw body with its content type, and prefixes the base URL', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { returnCode: '0000', info: {} }));
    const image = new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' });
    await createApiClient({ fetch, baseUrl: 'https://p.example' }).request('PUT', '/logo', {
      body: image,
      contentType: image.type,
    });
    expect(defined(calls[0]).url).toBe('https://p.example/logo');
    expect(headersOf(defined(calls[0]))['content-type']).toBe('image/png');
    expect(defined(calls[0]).init.body).toBe(image);
  });

  it('returns a text resource, and its error envelope on failure', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFk=\n-----END PUBLIC KEY-----\n';
    const ok = fakeFetch(() => new Response(pem, { status: 200 }));
    await expect(createApiClient({ fetch: ok.fetch }).text('/k.pem')).resolves.toBe(pem);
    const refused = fakeFetch(() => json(401, { returnCode: '4001' }));
    await expect(createApiClient({ fetch: refused.fetch }).text('/k.pem')).rejects.toMatchObject({
      returnCode: '4001',
      status: 401,
    });
  });

  it('answers undefined for 204 No Content', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(createApiClient({ fetch }).delete('/v1/session')).resolves.toBeUndefined();
  });
});

describe('supportReference', () => {
  it('uses a safe request id, else a random one', () => {
    expect(supportReference('4003', 'abc-123')).toBe('4003-abc-123');
    expect(supportReference('4003', '<script>', () => 0.5)).toMatch(/^4003-[0-9a-z]+$/);
    expect(new ApiError('NETWORK', 0).reference).toMatch(/^NETWORK-[0-9a-z]+$/);
    expect(new ApiError('4001', 401, { reference: 'R-1' }).reference).toBe('R-1');
  });
});
