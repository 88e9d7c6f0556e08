import { useI18n } from '../i18n/i18n-context.js';
import type { ReviewScreen } from './admin-types.js';

/** The program's earlier reviews (with reasons), its audit entries and wallet users' reports. */
export function ReviewHistory({ data }: { data: ReviewScreen }) {
  const { t, formatTime } = useI18n();
  const earlier = data.history.reviews.filter((r) => r.reviewId !== data.review.reviewId);
  return (
    <>
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t('review.history')}</h2>
        {earlier.length === 0 ? <p className="muted">{t('review.history.none')}</p> : null}
        <ul className="plain-list timeline">
          {earlier.map((r) => (
            <li key={r.reviewId}>
              <span className={`badge badge-kind-${r.kind}`}>{t(`admin.kind.${r.kind}`)}</span>{' '}
              {r.decidedAt
                ? t('review.decided', { time: formatTime(r.decidedAt), state: t(`review.state.${r.state}`) })
                : t('admin.requested', { time: formatTime(r.requestedAt) })}
              {r.reasons.length > 0 ? (
                <ul>
                  {r.reasons.map((reason, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list; two reasons may be equal
                    <li key={i}>{reason}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
        {data.history.audit.length > 0 ? (
          <>
            <h3>{t('review.audit')}</h3>
            <ul className="plain-list timeline">
              {data.history.audit.map((entry) => (
                <li key={entry.id}>
                  <time className="muted" dateTime={entry.at}>
                    {formatTime(entry.at)}
                  </time>{' '}
                  <span className="mono">{entry.action}</span>{' '}
                  <span className="muted">
                    {entry.actorKind}
                    {entry.actorId ? ` ${entry.actorId}` : ''}
                  </span>
                  {typeof entry.details.reason === 'string' ? (
                    <div className="prewrap">{entry.details.reason}</div>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="reports-title">
        <h2 id="reports-title">
          {t('review.reports')} <span className="count-pill">{data.reports.length}</span>
        </h2>
        {data.reports.length === 0 ? <p className="muted">{t('review.reports.none')}</p> : null}
        <ul className="plain-list timeline">
          {data.reports.map((report) => (
            <li key={report.reportId}>
              <strong>{reasonLabel(t, report.reason)}</strong>{' '}
              <span className="muted">{t('reports.received', { time: formatTime(report.createdAt) })}</span>
              {report.text ? <div className="prewrap">{report.text}</div> : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

const REASONS = new Set(['impersonation', 'scam', 'inappropriate', 'broken', 'other']);

/** A report reason in words (an unknown one as it came). */
export function reasonLabel(t: ReturnType<typeof useI18n>['t'], reason: string): string {
  return REASONS.has(reason)
    ? t(`reports.reason.${reason as 'impersonation' | 'scam' | 'inappropriate' | 'broken' | 'other'}`)
    : reason;
}
