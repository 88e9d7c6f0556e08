import type { ReactNode } from 'react';
import type { Operator } from '../api/types.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LanguageSelect } from './language-select.js';

/**
 * The page frame: a skip link, the header (brand, language, operator, sign out), the main navigation
 * and the main area.
 */
export function Layout({
  operator,
  onSignOut,
  nav,
  children,
}: {
  operator?: Operator | undefined;
  onSignOut?: (() => void) | undefined;
  /** The main navigation under the header (signed in only). */
  nav?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <a className="brand" href="#/programs">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect x="2" y="6" width="28" height="20" rx="4" fill="currentColor" />
            <rect x="6" y="17" width="12" height="3" rx="1.5" fill="var(--surface)" />
            <circle cx="23" cy="12" r="3" fill="var(--surface)" />
          </svg>
          <span className="brand-text">{t('app.title')}</span>
        </a>
        <div className="topbar-actions">
          <LanguageSelect />
          {operator ? (
            <>
              <span className="operator" title={operator.email}>
                {operator.displayName}
              </span>
              <button type="button" className="btn btn-ghost btn-small" onClick={onSignOut}>
                {t('nav.signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      {nav}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
