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
      { name: 'program', channelId: '1234567890', tab: 'webhooks' },
      { name: 'program', channelId: '1234567890', tab: 'group' },
      { name: 'program', channelId: '1234567890', tab: 'guide' },
      { name: 'bundles' },
      { name: 'newBundle' },
      { name: 'bundle', bundleId: 'bd_AAAAAAAAAAAAAAAA' },
      { name: 'notices' },
      { name: 'sign-in-link', token: 'AbCdEfGhIjKlMnOpQrStUv_-12' },
      { name: 'admin', section: 'reviews' },
      { name: 'admin', section: 'reviews', id: 'rv_abcdefghij12' },
      { name: 'admin', section: 'figures' },
      { name: 'organization', organizationId: 'org_AAAAAAAAAAAAAAAA', tab: 'members' },
      { name: 'organization', organizationId: 'org_AAAAAAAAAAAAAAAA', tab: 'invitations' },
      { name: 'organization', organizationId: 'org_AAAAAAAAAAAAAAAA', tab: 'audit' },
      { name: 'invite', token: 'A'.repeat(43), signup: false },
      { name: 'invite', token: 'A'.repeat(43), signup: true },
    ] as const;
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('falls back to the programs list for anything else', () => {
    expect(parseRoute('')).toEqual({ name: 'programs' });
    expect(parseRoute('#/programs/12345/credentials')).toEqual({ name: 'programs' });
    expect(parseRoute('#/programs/1234567890/secret')).toEqual({ name: 'programs' });
    expect(parseRoute('#/invite/short')).toEqual({ name: 'programs' });
    expect(parseRoute('#/organizations/nope')).toEqual({ name: 'programs' });
  });

  it('opens the first organization for #/organization', () => {
    expect(parseRoute('#/organization')).toEqual({ name: 'organization', tab: 'members' });
  });

  it('opens the admin area at its first section, and refuses odd segments', () => {
    expect(parseRoute('#/admin')).toEqual({ name: 'admin', section: 'reviews' });
    expect(parseRoute('#/admin/')).toEqual({ name: 'admin', section: 'reviews' });
    expect(parseRoute('#/admin/Reviews')).toEqual({ name: 'programs' });
    expect(parseRoute('#/admin/reviews/a/b')).toEqual({ name: 'programs' });
    expect(parseRoute('#/admin/reviews/<script>')).toEqual({ name: 'programs' });
  });

  it('takes a sign-in link token of the issued alphabet and length only', () => {
    expect(parseRoute('#/sign-in-link/short')).toEqual({ name: 'programs' });
    expect(parseRoute(`#/sign-in-link/${'a'.repeat(129)}`)).toEqual({ name: 'programs' });
    expect(parseRoute(`#/sign-in-link/${'a'.repeat(19)}%2F`)).toEqual({ name: 'programs' });
  });

  it('sends testers to the wallet’s add screen of the program', () => {
    expect(walletAddHref('1234567890')).toBe('/wallet/add/1234567890');
  });
});
