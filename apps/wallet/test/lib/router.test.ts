import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute, type Route } from '../../src/lib/router.js';

describe('router', () => {
  it('parses every screen under /wallet/', () => {
    expect(parseRoute('/wallet/', '')).toEqual({ name: 'cards' });
    expect(parseRoute('/wallet/cards/abc_DEF-123', '')).toEqual({ name: 'card', bindingId: 'abc_DEF-123' });
    expect(parseRoute('/wallet/add', '?q=demo')).toEqual({ name: 'add', query: 'demo' });
    expect(parseRoute('/wallet/add/1234567890', '')).toEqual({ name: 'program', channelId: '1234567890' });
    expect(parseRoute('/wallet/add/12345', '')).toEqual({ name: 'notFound' });
    expect(parseRoute('/wallet/mycode', '')).toEqual({ name: 'mycode' });
    expect(parseRoute('/wallet/nope/x/y', '')).toEqual({ name: 'notFound' });
    expect(parseRoute('/wallet/bundles/bd_AAAAAAAAAAAAAAAA', '')).toEqual({
      name: 'bundle',
      bundleId: 'bd_AAAAAAAAAAAAAAAA',
    });
    expect(parseRoute('/wallet/bundles/bd_short', '')).toEqual({ name: 'notFound' });
    expect(hrefFor({ name: 'bundle', bundleId: 'bd_AAAAAAAAAAAAAAAA' })).toBe(
      '/wallet/bundles/bd_AAAAAAAAAAAAAAAA',
    );
  });

  it('reads the callback from /wallet/bindings/callback and from a LIFF landing on the root', () => {
    const params = { token: 't0k', channelId: '1234567890', status: 'SUCCESS' };
    const search = '?token=t0k&channelId=1234567890&status=SUCCESS';
    expect(parseRoute('/wallet/bindings/callback', search)).toEqual({ name: 'callback', params });
    expect(parseRoute('/wallet/', search)).toEqual({ name: 'callback', params });
    expect(parseRoute('/wallet/bindings/callback', '')).toEqual({
      name: 'callback',
      params: { token: undefined, channelId: undefined, status: undefined },
    });
  });

  it('round-trips hrefs', () => {
    const routes: Route[] = [
      { name: 'cards' },
      { name: 'card', bindingId: 'abc_DEF-123' },
      { name: 'add', query: 'demo mart' },
      { name: 'add', query: '' },
      { name: 'program', channelId: '1234567890' },
      { name: 'mycode' },
      { name: 'inbox' },
      { name: 'message', channelId: '1234567890', messageId: 'expiry-2027/03 #1' },
    ];
    for (const route of routes) {
      const url = new URL(hrefFor(route), 'https://wallet.test');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });

  it('a message route needs a 10-digit channel and a message id', () => {
    expect(parseRoute('/wallet/inbox', '')).toEqual({ name: 'inbox' });
    expect(parseRoute('/wallet/inbox/123/m1', '')).toEqual({ name: 'notFound' });
    expect(parseRoute('/wallet/inbox/1234567890', '')).toEqual({ name: 'notFound' });
  });
});
