import { AppShell } from '../components/app-shell.js';
import { Link } from '../components/link.js';
import { useI18n } from '../i18n/i18n-context.js';

export function NotFoundScreen() {
  const { t } = useI18n();
  return (
    <AppShell title={t('app.title')}>
      <div className="panel center">
        <p>{t('error.notFound')}</p>
        <Link to={{ name: 'cards' }} className="button primary">
          {t('common.home')}
        </Link>
      </div>
    </AppShell>
  );
}
