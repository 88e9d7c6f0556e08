import { useAsync } from '@mycard/web-kit/react';
import type { Operator } from '../api/types.js';
import { useApp } from '../app-context.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import { type Route, routeHref } from '../lib/route.js';
import './main-nav.css';

/**
 * The console's main places, in the order of the bar under the header. To add one, append an
 * entry: its label, its route, which current routes mark it as the current page, and (optionally)
 * who sees it.
 */
interface NavItem {
  id: string;
  label: MessageKey;
  to: Route;
  current(route: Route): boolean;
  visible?(operator: Operator): boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  {
    id: 'programs',
    label: 'nav.programs',
    to: { name: 'programs' },
    current: (r) => r.name === 'programs' || r.name === 'program' || r.name === 'new',
  },
  {
    id: 'organization',
    label: 'nav.organization',
    to: { name: 'organization', tab: 'members' },
    current: (r) => r.name === 'organization',
  },
  {
    id: 'bundles',
    label: 'nav.bundles',
    to: { name: 'bundles' },
    current: (r) => r.name === 'bundles' || r.name === 'newBundle' || r.name === 'bundle',
  },
  { id: 'notices', label: 'nav.notices', to: { name: 'notices' }, current: (r) => r.name === 'notices' },
  {
    id: 'admin',
    label: 'nav.admin',
    to: { name: 'admin', section: 'reviews' },
    current: (r) => r.name === 'admin',
    visible: (operator) => operator.platformRole === 'platform-admin',
  },
];

/** The bar of main places for a signed-in operator, with the count of unread notices. */
export function MainNav({ operator, route, refresh }: { operator: Operator; route: Route; refresh: number }) {
  const { t } = useI18n();
  const { api } = useApp();
  // Refreshed on every move and after a notice is read; a failure only hides the count.
  const unread = useAsync(
    async () => (await api.listNotices()).notices.filter((n) => !n.read).length,
    `${routeHref(route)}:${refresh}`,
  );
  const count = unread.data ?? 0;
  return (
    <nav className="main-nav" aria-label={t('app.title')}>
      {NAV_ITEMS.filter((item) => item.visible?.(operator) ?? true).map((item) => {
        const current = item.current(route);
        const label = t(item.label);
        return (
          <a
            key={item.id}
            href={routeHref(item.to)}
            aria-current={current ? 'page' : undefined}
            aria-label={item.id === 'notices' && count > 0 ? t('nav.notices.unread', { count }) : undefined}
          >
            {label}
            {item.id === 'notices' && count > 0 ? (
              <span className="nav-count" aria-hidden="true">
                {count}
              </span>
            ) : null}
          </a>
        );
      })}
    </nav>
  );
}
