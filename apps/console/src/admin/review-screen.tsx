import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import type { ProgramStatus } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { LogoImage } from '../components/logo-image.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';
import { logoSrcOf } from '../lib/logo-src.js';
import { routeHref } from '../lib/route.js';
import type { ReviewScreen as ReviewScreenData } from './admin-types.js';
import { DecisionPanel } from './decision-panel.js';
import { LookAlikes } from './look-alikes.js';
import { ReviewHistory } from './review-history.js';

/**
 * One review (`GET /v1/console/admin/reviews/{reviewId}`): what is proposed beside what is live,
 * the LIVE programs it resembles (name, logo, binding host) side by side with it, the organization
 * behind it, its history and reports — and, while it is pending, approve / reject with reasons.
 */
export function ReviewScreen({ reviewId }: { reviewId: string }) {
  const { t, formatTime } = useI18n();
  const { api, checkSession } = useApp();
  const [done, setDone] = useState<'approved' | 'rejected'>();
  const screen = useAsync(async () => {
    try {
      return await api.admin.getReview(reviewId);
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, `review:${reviewId}`);
  const data = screen.data;
  return (
    <section aria-labelledby="review-title">
      <p className="crumbs">
        <a href={routeHref({ name: 'admin', section: 'reviews' })}>← {t('review.back')}</a>
      </p>
      {screen.loading && !data ? <Loading /> : null}
      {screen.error && !data ? <ErrorBox error={screen.error} onRetry={screen.reload} /> : null}
      {data ? (
        <>
          <div className="program-head">
            <LogoImage
              src={data.proposed.logoUrl ?? undefined}
              className="admin-logo admin-logo-large"
              initial={data.proposed.name}
            />
            <div>
              <h1 id="review-title" className="program-title">
                {data.proposed.name}
              </h1>
              <div className="program-sub admin-row-meta">
                <span className={`badge badge-kind-${data.review.kind}`}>
                  {t(`admin.kind.${data.review.kind}`)}
                </span>
                <StatusBadge status={data.program.status as ProgramStatus} />
                <span>{t('admin.requested', { time: formatTime(data.review.requestedAt) })}</span>
              </div>
            </div>
          </div>
          {done ? (
            <p className="alert alert-success" role="status">
              {t(done === 'approved' ? 'review.done.approved' : 'review.done.rejected')}
            </p>
          ) : null}
          {!done && data.review.state !== 'PENDING' ? (
            <p className="alert alert-warning" role="status">
              {t('review.notPending', { state: t(`review.state.${data.review.state}`) })}
            </p>
          ) : null}
          <div className="review-layout">
            <div className="stack-lg">
              <Comparison data={data} />
              <LookAlikes data={data} />
              <Organization data={data} />
              <ReviewHistory data={data} />
            </div>
            {data.review.state === 'PENDING' && !done ? (
              <DecisionPanel
                review={data.review}
                name={data.proposed.name}
                onDecided={(decision) => {
                  setDone(decision);
                  screen.reload();
                }}
              />
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}

/** Proposed beside live, row by row; a go-live request has no live version yet. */
function Comparison({ data }: { data: ReviewScreenData }) {
  const { t } = useI18n();
  const revision = data.review.kind === 'revision';
  const live = data.program;
  const liveLogo = logoSrcOf(live);
  const proposedLogo = data.proposed.logoUrl ?? undefined;
  const rows: { label: string; changed: boolean; proposed: React.ReactNode; live: React.ReactNode }[] = [
    {
      label: t('review.name'),
      changed: data.proposed.name !== live.name,
      proposed: <strong>{data.proposed.name}</strong>,
      live: live.name,
    },
    {
      label: t('review.logo'),
      changed: data.review.logoUrl !== null,
      proposed: (
        <LogoImage src={proposedLogo} className="admin-logo admin-logo-large" initial={data.proposed.name} />
      ),
      live: <LogoImage src={liveLogo} className="admin-logo admin-logo-large" initial={live.name} />,
    },
    {
      label: t('review.bindingHost'),
      changed: data.proposed.bindingUrl !== live.bindingUrl,
      proposed: (
        <>
          <strong className="mono break">{data.proposed.bindingHost}</strong>
          <span className="mono muted break review-url">{data.proposed.bindingUrl}</span>
        </>
      ),
      live: <span className="mono break">{live.bindingUrl}</span>,
    },
    {
      label: t('review.detail'),
      changed: JSON.stringify(data.proposed.detail) !== JSON.stringify(live.detail),
      proposed: <DetailSummary detail={data.proposed.detail} />,
      live: <DetailSummary detail={live.detail} />,
    },
  ];
  return (
    <section className="panel" aria-labelledby="compare-title">
      <h2 id="compare-title">
        {revision ? `${t('review.proposed')} / ${t('review.live')}` : t('review.proposed')}
      </h2>
      <dl className={revision ? 'compare compare-two' : 'compare'}>
        {revision ? (
          <div className="compare-row compare-head" aria-hidden="true">
            <span />
            <span>{t('review.proposed')}</span>
            <span>{t('review.live')}</span>
          </div>
        ) : null}
        {rows.map((row) => (
          <div
            key={row.label}
            className={revision && row.changed ? 'compare-row compare-changed' : 'compare-row'}
          >
            <dt>
              {row.label}
              {revision && row.changed ? (
                <span className="badge badge-kind-revision">{t('review.changed')}</span>
              ) : null}
            </dt>
            <dd>
              {revision ? <span className="sr-only">{t('review.proposed')}: </span> : null}
              {row.proposed}
            </dd>
            {revision ? (
              <dd className="compare-live">
                <span className="sr-only">{t('review.live')}: </span>
                {row.live}
              </dd>
            ) : null}
          </div>
        ))}
      </dl>
    </section>
  );
}

function DetailSummary({ detail }: { detail: ReviewScreenData['proposed']['detail'] }) {
  const { t } = useI18n();
  if (detail.kind === 'custom')
    return <span className="mono break">{t('review.detail.custom', { url: detail.url })}</span>;
  const text = [detail.description, detail.benefits, detail.contact]
    .filter((s) => s.trim() !== '')
    .join(' · ');
  return (
    <span className="prewrap review-detail">
      {text.length > 240 ? `${text.slice(0, 240)}…` : text || '—'}
    </span>
  );
}

function Organization({ data }: { data: ReviewScreenData }) {
  const { t, formatTime } = useI18n();
  const org = data.organization;
  return (
    <section className="panel" aria-labelledby="org-title">
      <h2 id="org-title">{t('review.organization')}</h2>
      <p>
        <strong>{org.displayName ?? '—'}</strong> <span className="mono break">{org.email ?? ''}</span>
      </p>
      {org.createdAt ? (
        <p className="hint">{t('review.organization.since', { time: formatTime(org.createdAt) })}</p>
      ) : null}
      <h3>{t('review.organization.programs')}</h3>
      {org.programs.length === 0 ? (
        <p className="muted">{t('review.organization.none')}</p>
      ) : (
        <ul className="plain-list">
          {org.programs.map((p) => (
            <li key={p.channelId}>
              {p.name} <StatusBadge status={p.status as ProgramStatus} />{' '}
              <span className="mono muted">{p.channelId}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
