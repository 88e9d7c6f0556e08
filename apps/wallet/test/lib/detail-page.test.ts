import { ApiError } from '@mycard/web-kit';
import { describe, expect, it } from 'vitest';
import type { DetailPageLink } from '../../src/api/types.js';
import { detailPageErrorKey, openDetailPage } from '../../src/lib/detail-page.js';

function fakeApi(answer: () => Promise<DetailPageLink>) {
  const asked: string[] = [];
  return {
    asked,
    api: {
      detailLink: (bindingId: string) => {
        asked.push(bindingId);
        return answer();
      },
    },
  };
}

describe('openDetailPage', () => {
  it('asks for a fresh signed link on every tap and follows the URL the platform gave', async () => {
    let n = 0;
    const { api, asked } = fakeApi(async () => ({
      url: `https://shop.example/card?lang=en&context=ctx${++n}`,
      expiresAt: '2030-01-01T00:05:00Z',
    }));
    const went: string[] = [];
    await openDetailPage(api, 'b1', (url) => went.push(url));
    await openDetailPage(api, 'b1', (url) => went.push(url));
    expect(asked).toEqual(['b1', 'b1']);
    expect(went).toEqual([
      'https://shop.example/card?lang=en&context=ctx1',
      'https://shop.example/card?lang=en&context=ctx2',
    ]);
  });

  it('does not navigate when the platform refuses', async () => {
    const { api } = fakeApi(async () => {
      throw new ApiError('3004', 409, { message: 'Not a custom page.' });
    });
    const went: string[] = [];
    await expect(openDetailPage(api, 'b1', (url) => went.push(url))).rejects.toMatchObject({
      returnCode: '3004',
    });
    expect(went).toEqual([]);
  });

  it('never follows a URL that is not absolute http(s)', async () => {
    for (const url of ['javascript:alert(1)', '/wallet/', 'data:text/html,x', 'https://u:p@shop.example/']) {
      const { api } = fakeApi(async () => ({ url, expiresAt: '2030-01-01T00:05:00Z' }));
      const went: string[] = [];
      await expect(
        openDetailPage(api, 'b1', (u) => went.push(u)),
        url,
      ).rejects.toMatchObject({
        returnCode: 'BAD_RESPONSE',
      });
      expect(went).toEqual([]);
    }
  });
});

describe('detailPageErrorKey', () => {
  it('says the page is unavailable for a removed, foreign or template card, and keeps the usual messages otherwise', () => {
    for (const code of ['3004', '4003', '4004']) {
      expect(detailPageErrorKey(new ApiError(code, 400, { message: 'x' })), code).toBe(
        'card.pageUnavailable',
      );
    }
    expect(detailPageErrorKey(new ApiError('4001', 401, { message: 'x' }))).toBe('error.session');
    expect(detailPageErrorKey(new ApiError('NETWORK', 0, { message: 'x' }))).toBe('error.network');
    expect(detailPageErrorKey(new Error('boom'))).toBe('error.generic');
  });
});
