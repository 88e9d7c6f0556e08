import type { ReactNode } from 'react';
import { useApp } from '../app/app-context.js';
import { useInbox } from '../app/inbox-context.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { Route } from '../lib/router.js';
import { useRoute } from '../lib/use-route.js';
import { LanguageSelect } from './language-select.js';
import { Link } from './link.js';

/** Page frame: a header with the title (and a back link), the content, and the tab bar. */
export function AppShell({ title, back, children }: { title: string; back?: Route; children: ReactNode }) {
  const { t } = useI18n();
  const route = useRoute();
  const app = useApp();
  const { unread } = useInbox();
  const tab =
    route.name === 'mycode'
      ? 'mycode'
      : route.name === 'add' || route.name === 'program'
        ? 'add'
        : route.name === 'inbox' || route.name === 'message'
          ? 'inbox'
          : 'cards';
  return (
    <div className="shell">
      <header className="topbar">
        {back ? (
          <Link to={back} className="icon-button" aria-label={t('common.back')}>
            <span aria-hidden="true">‹</span>
          </Link>
        ) : (
          <span className="brand-mark" aria-hidden="true" />
        )}
        <h1 className="topbar-title">{title}</h1>
        <details className="menu">
          <summary className="icon-button" aria-label={app.session.displayName ?? app.session.userId}>
            <span className="avatar" aria-hidden="true">
              {Array.from(app.session.displayName ?? app.session.userId)[0]?.toUpperCase()}
            </span>
          </summary>
          <div className="menu-panel">
            <p className="menu-who">
              {t('common.signedInAs', { name: app.session.displayName ?? app.session.userId })}
            </p>
            <LanguageSelect />
            {app.config.identity === 'dev' ? (
              <button type="button" className="button secondary block" onClick={app.signOut}>
                {t('common.signOut')}
              </button>
            ) : null}
          </div>
        </details>
      </header>
      <main className="content" id="main">
        {children}
      </main>
      <nav className="tabbar" aria-label={t('nav.main')}>
        <Link to={{ name: 'cards' }} className="tab" aria-current={tab === 'cards' ? 'page' : undefined}>
          <TabIcon kind="cards" />
          <span>{t('nav.cards')}</span>
        </Link>
        <Link
          to={{ name: 'add', query: '' }}
          className="tab"
          aria-current={tab === 'add' ? 'page' : undefined}
        >
          <TabIcon kind="add" />
          <span>{t('nav.add')}</span>
        </Link>
        <Link to={{ name: 'mycode' }} className="tab" aria-current={tab === 'mycode' ? 'page' : undefined}>
          <TabIcon kind="mycode" />
          <span>{t('nav.mycode')}</span>
        </Link>
        <Link to={{ name: 'inbox' }} className="tab" aria-current={tab === 'inbox' ? 'page' : undefined}>
          <span className="tab-icon-wrap">
            <TabIcon kind="inbox" />
            {unread > 0 ? (
              <span className="badge" data-testid="unread-badge" aria-hidden="true">
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
          </span>
          <span>{t('nav.inbox')}</span>
          {unread > 0 ? <span className="visually-hidden">{t('nav.unread', { count: unread })}</span> : null}
        </Link>
      </nav>
    </div>
  );
}

function TabIcon({ kind }: { kind: 'cards' | 'add' | 'mycode' | 'inbox' }) {
  return (
    <svg className="tab-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {kind === 'cards' ? (
        <>
          <rect x="3" y="6" width="18" height="13" rx="2.5" />
          <path d="M3 10.5h18" />
        </>
      ) : kind === 'inbox' ? (
        <>
          <rect x="3" y="5" width="18" height="14" rx="2.5" />
          <path d="M3.5 6.5l8.5 6.5 8.5-6.5" />
        </>
      ) : kind === 'add' ? (
        <>
          <circle cx="12" cy="12" r="9" />
          <path d="M12 8v8M8 12h8" />
        </>
      ) : (
        <path d="M4 6v12M7 6v12M10.5 6v12M14 6v12M16.5 6v12M20 6v12" />
      )}
    </svg>
  );
}
