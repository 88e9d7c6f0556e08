import { useAsync } from '@mycard/web-kit/react';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { LogoImage } from '../components/logo-image.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';
import type { QueuedReview } from './admin-types.js';

/** The review queue: open go-live requests and revisions, oldest first (the API's order). */
export function ReviewQueueScreen() {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const queue = useAsync(async () => {
    try {
      return (await api.admin.listReviews()).reviews;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, 'reviews');
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('admin.section.reviews')}</h1>
      {queue.loading && !queue.data ? <Loading /> : null}
      {queue.error ? <ErrorBox error={queue.error} onRetry={queue.reload} /> : null}
      {queue.data && queue.data.length === 0 ? <p className="panel muted">{t('queue.empty')}</p> : null}
      {queue.data && queue.data.length > 0 ? (
        <ul className="admin-list">
          {queue.data.map((row) => (
            <QueueRow key={row.review.reviewId} row={row} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function QueueRow({ row }: { row: QueuedReview }) {
  const { t, formatTime } = useI18n();
  const name = row.review.changes.name ?? row.programName;
  return (
    <li>
      <a
        className="admin-row"
        href={routeHref({ name: 'admin', section: 'reviews', id: row.review.reviewId })}
        aria-label={t('queue.open', { name })}
      >
        <LogoImage
          src={row.review.logoUrl ?? row.logoUrl ?? undefined}
          className="admin-logo"
          initial={name}
        />
        <span className="admin-row-body">
          <span className="admin-row-title">{name}</span>
          <span className="admin-row-meta">
            <span className={`badge badge-kind-${row.review.kind}`}>
              {t(`admin.kind.${row.review.kind}`)}
            </span>
            <span>{t('admin.requested', { time: formatTime(row.review.requestedAt) })}</span>
          </span>
          <span className="mono muted admin-row-id">{row.review.channelId}</span>
        </span>
      </a>
    </li>
  );
}
