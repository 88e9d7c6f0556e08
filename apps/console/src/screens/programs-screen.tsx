import { useAsync } from '@mycard/web-kit/react';
import { cardCountOf, programsOf } from '../api/console-api.js';
import type { ProgramSummary } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { LogoImage } from '../components/logo-image.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';
import { logoSrcOf } from '../lib/logo-src.js';
import { routeHref } from '../lib/route.js';

/** The operator's programs, each with its status and how many cards are bound. */
export function ProgramsScreen() {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const list = useAsync(async () => {
    try {
      return programsOf(await api.listPrograms());
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, 'programs');

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('programs.title')}</h1>
        {list.data && list.data.length > 0 ? (
          <a className="btn btn-primary" href={routeHref({ name: 'new' })}>
            + {t('programs.new')}
          </a>
        ) : null}
      </div>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? (
        <div className="empty panel">
          <div className="empty-art" aria-hidden="true" />
          <h2>{t('programs.empty.title')}</h2>
          <p>{t('programs.empty.body')}</p>
          <a className="btn btn-primary" href={routeHref({ name: 'new' })}>
            + {t('programs.new')}
          </a>
        </div>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <ul className="program-grid">
          {list.data.map((row) => (
            <ProgramTile key={row.program.channelId} summary={row} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ProgramTile({ summary }: { summary: ProgramSummary }) {
  const { t } = useI18n();
  const { program } = summary;
  const count = cardCountOf(summary);
  return (
    <li>
      <a
        className="program-tile"
        href={routeHref({ name: 'program', channelId: program.channelId, tab: 'settings' })}
      >
        <span
          className="tile-band"
          style={{ background: program.colors.background, color: program.colors.foreground }}
          aria-hidden="true"
        >
          <LogoImage src={logoSrcOf(program)} className="tile-logo" initial={program.name} />
        </span>
        <span className="tile-body">
          <span className="tile-name">{program.name}</span>
          <span className="tile-meta">
            <StatusBadge status={program.status} />
            <span>{t('programs.cards', { count })}</span>
          </span>
          <span className="tile-id">
            {t('programs.channel')} <span className="mono">{program.channelId}</span>
          </span>
        </span>
      </a>
    </li>
  );
}
