import { useAsync } from '@mycard/web-kit/react';
import { useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';
import { useAction } from '../lib/use-action.js';
import type { Report } from './admin-types.js';
import { reasonLabel } from './review-history.js';

type Row = Report & { programName: string };

/**
 * Wallet users' reports ("report this card"): the open ones first, each closed as dismissed or
 * acted on (with an optional note), with a way to the program (to suspend it).
 */
export function ReportsScreen() {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const [state, setState] = useState<'OPEN' | 'RESOLVED'>('OPEN');
  const list = useAsync(async () => {
    try {
      return (await api.admin.listReports(state)).reports;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, `reports:${state}`);
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t('admin.section.reports')}</h1>
      <fieldset className="segmented">
        <legend className="sr-only">{t('admin.section.reports')}</legend>
        {(['OPEN', 'RESOLVED'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={s === state ? 'btn btn-small btn-secondary segmented-on' : 'btn btn-small btn-ghost'}
            aria-pressed={s === state}
            onClick={() => setState(s)}
          >
            {t(s === 'OPEN' ? 'reports.open' : 'reports.resolved')}
          </button>
        ))}
      </fieldset>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? <p className="panel muted">{t('reports.empty')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="admin-list">
          {list.data.map((report) => (
            <ReportRow key={report.reportId} report={report} onResolved={list.reload} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ReportRow({ report, onResolved }: { report: Row; onResolved(): void }) {
  const { t, formatTime } = useI18n();
  const { api } = useApp();
  const id = useId();
  const [note, setNote] = useState('');
  const { busy, failure, run } = useAction();
  const resolve = async (resolution: 'dismissed' | 'actioned') => {
    await run(async () => {
      await api.admin.resolveReport(report.reportId, resolution, note.trim() || undefined);
      onResolved();
    });
  };
  return (
    <li className="admin-row admin-row-static report-row" data-report-id={report.reportId}>
      <div className="admin-row-body">
        <span className="admin-row-title">{report.programName || report.channelId}</span>
        <span className="admin-row-meta">
          <span className="badge badge-suspended">{reasonLabel(t, report.reason)}</span>
          {report.bindingId ? <span>{t('reports.onCard')}</span> : null}
          <span>{t('reports.received', { time: formatTime(report.createdAt) })}</span>
        </span>
        {report.text ? <p className="prewrap report-text">{report.text}</p> : null}
        {report.state === 'RESOLVED' && report.resolvedAt ? (
          <p className="hint">
            {t('reports.resolution', {
              time: formatTime(report.resolvedAt),
              resolution: t(
                report.resolution === 'actioned'
                  ? 'reports.resolution.actioned'
                  : 'reports.resolution.dismissed',
              ),
            })}
          </p>
        ) : null}
        <a href={routeHref({ name: 'admin', section: 'programs', id: report.channelId })}>
          {t('reports.program')}
        </a>
        {report.state === 'OPEN' ? (
          <div className="report-resolve">
            <label htmlFor={`${id}-note`} className="hint">
              {t('reports.note')}
            </label>
            <textarea
              id={`${id}-note`}
              rows={1}
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            <div className="button-row">
              <button
                type="button"
                className="btn btn-secondary btn-small"
                disabled={busy}
                onClick={() => void resolve('actioned')}
              >
                {t('reports.actioned')}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={busy}
                onClick={() => void resolve('dismissed')}
              >
                {t('reports.dismiss')}
              </button>
            </div>
          </div>
        ) : null}
        {failure ? <ErrorBox error={failure} /> : null}
      </div>
    </li>
  );
}
