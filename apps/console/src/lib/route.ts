/**
 * The console's screens as hash routes (`/console/#/programs/1234567890/credentials`): the
 * platform serves one index.html, so no server-side fallback is needed for deep links.
 */
export type Route =
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'programs' }
  | { name: 'new' }
  | { name: 'program'; channelId: string; tab: ProgramTab }
  | { name: 'bundles' }
  | { name: 'newBundle' }
  | { name: 'bundle'; bundleId: string }
  | { name: 'notices' }
  | { name: 'sign-in-link'; token: string }
  /**
   * The platform administrators' area (`#/admin/{section}[/{id}]`, src/admin/admin-sections.tsx
   * lists the sections); an unknown section shows the first one.
   */
  | { name: 'admin'; section: string; id?: string }
  | { name: 'organization'; organizationId?: string | undefined; tab: OrganizationTab }
  /** An invitation link (`#/invite/{token}`; `/signup` shows the sign-up form when signed out). */
  | { name: 'invite'; token: string; signup?: boolean };

export type OrganizationTab = 'members' | 'invitations' | 'audit';

/** The tabs of a program's screen (`group`: its participants, PROTOCOL.md §8). */
export type ProgramTab = 'settings' | 'credentials' | 'webhooks' | 'group' | 'guide';

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/signin') return { name: 'signin' };
  if (path === '/signup') return { name: 'signup' };
  if (path === '/programs/new') return { name: 'new' };
  if (path === '/bundles') return { name: 'bundles' };
  if (path === '/bundles/new') return { name: 'newBundle' };
  const bundle = /^\/bundles\/(bd_[A-Za-z0-9_-]{16})$/.exec(path)?.[1];
  if (bundle !== undefined) return { name: 'bundle', bundleId: bundle };
  if (path === '/notices') return { name: 'notices' };
  const link = /^\/sign-in-link\/([A-Za-z0-9_-]{20,128})$/.exec(path)?.[1];
  if (link !== undefined) return { name: 'sign-in-link', token: link };
  const admin = /^\/admin(?:\/([a-z][a-z0-9-]{0,31})(?:\/([A-Za-z0-9_-]{1,64}))?)?$/.exec(path);
  if (admin) {
    const [, section = 'reviews', id] = admin;
    return id === undefined ? { name: 'admin', section } : { name: 'admin', section, id };
  }
  if (path === '/organization') return { name: 'organization', tab: 'members' };
  const org = /^\/organizations\/(org_[A-Za-z0-9_-]{16})(?:\/(members|invitations|audit))?$/.exec(path);
  if (org?.[1])
    return {
      name: 'organization',
      organizationId: org[1],
      tab: (org[2] as OrganizationTab | undefined) ?? 'members',
    };
  const invite = /^\/invite\/([A-Za-z0-9_-]{43})(\/signup)?$/.exec(path);
  if (invite?.[1]) return { name: 'invite', token: invite[1], signup: invite[2] !== undefined };
  const m = /^\/programs\/(\d{10})(?:\/(settings|credentials|webhooks|group|guide))?$/.exec(path);
  const channelId = m?.[1];
  if (channelId !== undefined)
    return {
      name: 'program',
      channelId,
      tab: (m?.[2] as ProgramTab | undefined) ?? 'settings',
    };
  return { name: 'programs' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'signin':
      return '#/signin';
    case 'signup':
      return '#/signup';
    case 'programs':
      return '#/programs';
    case 'new':
      return '#/programs/new';
    case 'bundles':
      return '#/bundles';
    case 'newBundle':
      return '#/bundles/new';
    case 'bundle':
      return `#/bundles/${route.bundleId}`;
    case 'program':
      return route.tab === 'settings'
        ? `#/programs/${route.channelId}`
        : `#/programs/${route.channelId}/${route.tab}`;
    case 'notices':
      return '#/notices';
    case 'sign-in-link':
      return `#/sign-in-link/${route.token}`;
    case 'admin':
      return route.id === undefined
        ? `#/admin/${route.section}`
        : `#/admin/${route.section}/${encodeURIComponent(route.id)}`;
    case 'organization':
      if (!route.organizationId) return '#/organization';
      return route.tab === 'members'
        ? `#/organizations/${route.organizationId}`
        : `#/organizations/${route.organizationId}/${route.tab}`;
    case 'invite':
      return `#/invite/${route.token}${route.signup ? '/signup' : ''}`;
  }
}

/**
 * Where the "test your binding page" button sends a tester: the wallet's add-card screen of this
 * program (`/wallet/add/{channelId}`, apps/wallet/src/lib/router.ts), where the tester signs in and
 * taps "add" to start a sandbox binding.
 */
export function walletAddHref(channelId: string): string {
  return `/wallet/add/${encodeURIComponent(channelId)}`;
}
