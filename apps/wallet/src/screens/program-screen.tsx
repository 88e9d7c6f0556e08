import { ApiError } from '@mycard/web-kit';
import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import type { ProgramSummary } from '../api/types.js';
import { useApp } from '../app/app-context.js';
import { AppShell } from '../components/app-shell.js';
import { CardFace } from '../components/card-face.js';
import { Link } from '../components/link.js';
import { ParticipantList } from '../components/participant-list.js';
import { ProgramDetailView } from '../components/program-detail.js';
import { ReportButton } from '../components/report-button.js';
import '../components/report.css';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { reserveAndGo } from '../lib/binding-redirect.js';

/** A program before adding it: its card face, detail page, and "Add" (Binding Reserve, PROTOCOL.md §4.1–2). */
export function ProgramScreen({ channelId }: { channelId: string }) {
  const { t } = useI18n();
  const { api } = useApp();
  // `GET /v1/programs/{channelId}`: 4004 for an unknown program or one not available to this user.
  const { state, reload } = useAsync(() => api.program(channelId), channelId);
  const title = state.status === 'ok' ? state.data.name : t('add.title');
  return (
    <AppShell title={title} back={{ name: 'add', query: '' }}>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorPanel error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? <ProgramView program={state.data} /> : null}
    </AppShell>
  );
}

function ProgramView({ program }: { program: ProgramSummary }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const held = program.cardHeld || (error instanceof ApiError && error.returnCode === '3006');

  async function add() {
    setBusy(true);
    setError(null);
    try {
      // The merchant's binding page (its own site); the platform set the reservation cookie.
      await reserveAndGo(api, program.channelId);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <CardFace program={program}>
        <span className="card-face-placeholder" aria-hidden="true">
          •••• •••• ••••
        </span>
      </CardFace>
      {held ? (
        <div className="panel center" role="status">
          <p>
            <span className="chip subtle">{t('add.held')}</span>
          </p>
          <Link to={{ name: 'cards' }} className="button secondary block">
            {t('add.viewCard')}
          </Link>
        </div>
      ) : (
        <div className="panel">
          <p className="muted">{t('add.how', { name: program.name })}</p>
          {error ? <ErrorPanel error={error} /> : null}
          <button
            type="button"
            className="button primary block large"
            onClick={() => void add()}
            disabled={busy}
            aria-busy={busy}
          >
            {busy ? t('add.adding', { name: program.name }) : t('add.add')}
          </button>
        </div>
      )}
      <ParticipantList program={program} />
      <ProgramDetailView detail={program.detail} />
      <ReportButton channelId={program.channelId} name={program.name} />
    </div>
  );
}
