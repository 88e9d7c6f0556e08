import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import { createApiClient, type FetchLike } from '../../src/api/client.js';
import { createWalletApi } from '../../src/api/wallet-api.js';

interface Seen {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(respond: (seen: Seen) => Response | Promise<Response>) {
  const calls: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    const seen = { url, init };
    calls.push(seen);
    return respond(seen);
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('api client: envelopes', () => {
  it('returns info of a 0000 envelope', async () => {
    const { fetch } = fakeFetch(() =>
      json(200, { returnCode: '0000', returnMessage: 'Success.', info: { a: 1 } }),
    );
    await expect(createApiClient({ fetch }).get('/v1/x')).resolves.toEqual({ a: 1 });
  });

  it('turns an error envelope into an ApiError with the return code, status and request id', async () => {
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
    expect((error as ApiError).supportReference).toBe('3007-req42');
  });

  it('reports a body that is not an envelope as BAD_RESPONSE', async () => {
    const html = fakeFetch(() => new Response('<h1>502 Bad Gateway</h1>', { status: 502 }));
    await expect(createApiClient({ fetch: html.fetch }).get('/v1/cards')).rejects.toMatchObject({
      returnCode: 'BAD_RESPONSE',
      status: 502,
    });
    const odd = fakeFetch(() => json(200, { ok: true }));
    await expect(createApiClient({ fetch: odd.fetch }).get('/v1/cards')).rejects.toMatchObject({
      returnCode: 'BAD_RESPONSE',
    });
  });

  it('reports a failed fetch as NETWORK', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(createApiClient({ fetch }).get('/v1/cards')).rejects.toMatchObject({
      returnCode: 'NETWORK',
      status: 0,
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
    const [post, get, del] = calls;
    expect(post!.init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect((post!.init!.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(post!.init!.body).toBe('{"channelId":"1234567890"}');
    expect(get!.init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(get!.init!.body).toBeUndefined();
    expect(del!.init).toMatchObject({ method: 'DELETE' });
    expect(del!.init!.body).toBeUndefined();
  });

  it('maps the wallet API onto PROTOCOL.md paths', async () => {
    const info: Record<string, unknown> = {
      'GET /v1/programs?query=demo%20mart': { programs: [{ channelId: '1234567890' }] },
      'GET /v1/cards': { cards: [] },
      'GET /v1/cards/b%2F1': { card: { bindingId: 'b/1' } },
      'POST /v1/bindings/complete': { card: { bindingId: 'b1' } },
      'POST /v1/mycode': { oneTimeKey: '123456789012345678', expiresAt: '2030-01-01T00:00:00Z' },
    };
    const { fetch, calls } = fakeFetch(({ url, init }) =>
      json(200, {
        returnCode: '0000',
        returnMessage: 'Success.',
        info: info[`${init?.method} ${url}`] ?? {},
      }),
    );
    const api = createWalletApi(createApiClient({ fetch }));
    expect(await api.programs('demo mart')).toEqual([{ channelId: '1234567890' }]);
    expect(await api.cards()).toEqual([]);
    expect(await api.card('b/1')).toEqual({ bindingId: 'b/1' });
    expect(await api.complete('t', '1234567890', 'SUCCESS')).toEqual({ bindingId: 'b1' });
    expect((await api.myCode()).oneTimeKey).toHaveLength(18);
    expect(calls.map((c) => c.init?.body)).toEqual([
      undefined,
      undefined,
      undefined,
      '{"token":"t","channelId":"1234567890","status":"SUCCESS"}',
      '{}',
    ]);
  });

  it('maps the single-program, "Don\u2019t add" and detail-link endpoints', async () => {
    const program = { channelId: '1234567890', name: 'Demo Mart', codeType: 'EAN13', cardHeld: false };
    const link = { url: 'https://shop.example/card?lang=en&context=eyJ', expiresAt: '2030-01-01T00:05:00Z' };
    const info: Record<string, unknown> = {
      'GET /v1/programs/1234567890': { program },
      'POST /v1/bindings/complete': {},
      'POST /v1/cards/b%2F1/detail-link': link,
    };
    const { fetch, calls } = fakeFetch(({ url, init }) =>
      json(200, { returnCode: '0000', returnMessage: 'Success.', info: info[`${init?.method} ${url}`] }),
    );
    const api = createWalletApi(createApiClient({ fetch }));
    expect(await api.program('1234567890')).toEqual(program);
    await api.cancelBinding('A'.repeat(43), '1234567890');
    expect(await api.detailLink('b/1')).toEqual(link);
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${c.init?.body ?? ''}`)).toEqual([
      'GET /v1/programs/1234567890 ',
      `POST /v1/bindings/complete {"token":"${'A'.repeat(43)}","channelId":"1234567890","status":"CANCEL"}`,
      'POST /v1/cards/b%2F1/detail-link {}',
    ]);
    for (const call of calls.slice(1)) {
      expect((call.init!.headers as Record<string, string>)['content-type']).toBe('application/json');
    }
  });

  it('surfaces the single-program 4004 as an ApiError', async () => {
    const { fetch } = fakeFetch(() => json(404, { returnCode: '4004', returnMessage: 'Not found.' }));
    await expect(createWalletApi(createApiClient({ fetch })).program('1234567890')).rejects.toMatchObject({
      returnCode: '4004',
      status: 404,
    });
  });
});
