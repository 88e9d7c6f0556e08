import { describe, expect, it } from 'vitest';
import { buildCancelUrl } from '../src/index.js';

describe('buildCancelUrl', () => {
  it('adds token, channelId and status to the callback, keeping its own query', () => {
    const url = new URL(
      buildCancelUrl({
        callback: 'https://liff.line.me/1657-abc?path=%2Fcallback',
        token: 'a.b.c',
        channelId: '1234567890',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://liff.line.me/1657-abc');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      path: '/callback',
      token: 'a.b.c',
      channelId: '1234567890',
      status: 'CANCEL',
    });
  });

  it('says FAIL when asked, and nothing else', () => {
    const input = {
      callback: 'https://mycard.test/wallet/bindings/callback',
      token: 't',
      channelId: '1234567890',
    };
    expect(new URL(buildCancelUrl({ ...input, status: 'FAIL' })).searchParams.get('status')).toBe('FAIL');
    expect(() => buildCancelUrl({ ...input, status: 'SUCCESS' as 'FAIL' })).toThrow(TypeError);
  });
});
