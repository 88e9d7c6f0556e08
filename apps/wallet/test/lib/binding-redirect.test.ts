import { ApiError } from '@mycard/web-kit';
import { describe, expect, it } from 'vitest';
import { reserveAndGo } from '../../src/lib/binding-redirect.js';

const reservation = (redirectUrl: string) => ({
  reserve: async () => ({ bindingId: 'b'.repeat(22), redirectUrl, expiresAt: '2030-01-01T00:00:00Z' }),
});

describe('reserveAndGo (move to the merchant page)', () => {
  it('follows an absolute http(s) binding page URL', async () => {
    const went: string[] = [];
    await reserveAndGo(reservation('https://shop.example/mycard/bind?nonce=n&token=t'), '1234567890', (u) =>
      went.push(u),
    );
    expect(went).toEqual(['https://shop.example/mycard/bind?nonce=n&token=t']);
  });

  it('names the campaign bundle in Binding Reserve when started from one', async () => {
    const calls: unknown[][] = [];
    const api = {
      reserve: async (...args: unknown[]) => {
        calls.push(args);
        return { bindingId: 'b'.repeat(22), redirectUrl: 'https://shop.example/bind', expiresAt: '' };
      },
    };
    await reserveAndGo(api, '1234567890', () => {}, 'bd_AAAAAAAAAAAAAAAA');
    await reserveAndGo(api, '1234567890', () => {});
    expect(calls).toEqual([
      ['1234567890', 'bd_AAAAAAAAAAAAAAAA'],
      ['1234567890', undefined],
    ]);
  });

  it.each([
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    '//evil.example/bind',
    '/relative/bind',
    'https://user:pw@evil.example/bind',
  ])('never navigates to %s', async (url) => {
    const went: string[] = [];
    await expect(reserveAndGo(reservation(url), '1234567890', (u) => went.push(u))).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(went).toEqual([]);
  });
});
