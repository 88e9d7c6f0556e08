import { useAsync } from '@mycard/web-kit/react';
import { useEffect, useId, useState } from 'react';
import type { ProgramSummary } from '../api/types.js';
import { useApp } from '../app/app-context.js';
import { AppShell } from '../components/app-shell.js';
import { ProgramLogo } from '../components/card-face.js';
import { Link } from '../components/link.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { navigate } from '../lib/use-route.js';

/** Add card: search the programs the user can add (`GET /v1/programs?query=`). */
export function AddCardScreen({ query }: { query: string }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [text, setText] = useState(query);
  const inputId = useId();
  const { state, reload } = useAsync(() => api.programs(query.trim()), query);

  // Search as the user types (debounced); the query lives in the URL so back/forward keep it.
  useEffect(() => {
    if (text === query) return;
    const timer = setTimeout(() => navigate({ name: 'add', query: text }, { replace: true }), 250);
    return () => clearTimeout(timer);
  }, [text, query]);

  return (
    <AppShell title={t('add.title')}>
      <search className="search">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            navigate({ name: 'add', query: text }, { replace: true });
          }}
        >
          <label htmlFor={inputId} className="visually-hidden">
            {t('add.search')}
          </label>
          <span className="search-icon" aria-hidden="true">
            ⌕
          </span>
          <input
            id={inputId}
            type="search"
            value={text}
            placeholder={t('add.searchPlaceholder')}
            autoComplete="off"
            enterKeyHint="search"
            maxLength={64}
            onChange={(event) => setText(event.target.value)}
          />
        </form>
      </search>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorPanel error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? <ProgramList programs={state.data} query={query} /> : null}
    </AppShell>
  );
}

function ProgramList({ programs, query }: { programs: ProgramSummary[]; query: string }) {
  const { t } = useI18n();
  if (programs.length === 0) {
    return (
      <p className="empty-small muted" role="status">
        {query ? t('add.none', { query }) : t('add.noneAtAll')}
      </p>
    );
  }
  return (
    <ul className="program-list" aria-live="polite">
      {programs.map((program) => (
        <li key={program.channelId}>
          <Link to={{ name: 'program', channelId: program.channelId }} className="program-row">
            <ProgramLogo program={program} size={44} />
            <span className="program-row-name">{program.name}</span>
            {program.cardHeld ? <span className="chip subtle">{t('add.held')}</span> : null}
            <span className="chevron" aria-hidden="true">
              ›
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
