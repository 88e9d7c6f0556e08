import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, walletAddHref } from '../src/lib/route.js';

describe('hash routes', () => {
  it('parses every screen and round-trips', () => {
    const routes = [
      { name: 'signin' },
      { name: 'signup' },
      { name: 'programs' },
      { name: 'new' },
      { name: 'program', channelId: '1234567890', tab: 'settings' },
      { name: 'program', channelId: '1234567890', tab: 'credentials' },
      { name: 'program', channelId: '1234567890', tab: 'guide' },
      { name: 'bundles' },
      { name: 'newBundle' },
      { name: 'bundle', bundleId: 'bd_AAAAAAAAAAAAAAAA' },
    ] as const;
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('falls back to the programs list for anything else', () => {
    expect(parseRoute('')).toEqual({ name: 'programs' });
    expect(parseRoute('#/programs/12345/credentials')).toEqual({ name: 'programs' });
    expect(parseRoute('#/programs/1234567890/secret')).toEqual({ name: 'programs' });
  });

  it('sends testers to the wallet’s add screen of the program', () => {
    expect(walletAddHref('1234567890')).toBe('/wallet/add/1234567890');
  });
});
