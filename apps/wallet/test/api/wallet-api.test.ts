import { createApiClient } from '@mycard/web-kit';
import { fakeFetch, jsonResponse as json } from '@mycard/web-kit/testing';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { createWalletApi } from '../../src/api/wallet-api.js';

describe('wallet API over the web kit client', () => {
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
      expect((defined(call.init).headers as Record<string, string>)['content-type']).toBe('application/json');
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
