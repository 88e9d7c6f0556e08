import { useApp } from '../app-context.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';
import { ADMIN_SECTIONS } from './admin-sections.js';
import './admin.css';

/**
 * The platform administrators' area: its title, the section tabs and the section (admin-sections
 * .tsx). Only operators with the `platform-admin` role see it; the API answers 4003 to anyone else
 * anyway, so this check is for the person, not for security.
 */
export function AdminArea({ section, item }: { section: string; item: string | undefined }) {
  const { t } = useI18n();
  const { operator } = useApp();
  if (operator?.platformRole !== 'platform-admin') {
    return (
      <div className="page">
        <div className="alert alert-error" role="alert">
          <p>{t('admin.denied')}</p>
        </div>
      </div>
    );
  }
  const current = ADMIN_SECTIONS.find((s) => s.id === section) ?? ADMIN_SECTIONS[0];
  if (!current) return null;
  return (
    <div className="page admin-page">
      <p className="admin-kicker">{t('admin.title')}</p>
      <nav className="tabs admin-tabs" aria-label={t('admin.title')}>
        {ADMIN_SECTIONS.map((s) => (
          <a
            key={s.id}
            className={s.id === current.id ? 'tab tab-current' : 'tab'}
            aria-current={s.id === current.id ? 'page' : undefined}
            href={routeHref({ name: 'admin', section: s.id })}
          >
            {t(s.label)}
          </a>
        ))}
      </nav>
      {current.render(item)}
    </div>
  );
}
