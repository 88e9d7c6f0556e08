import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import type { ConsoleBundle } from '../api/types.js';
import { useApp } from '../app-context.js';
import { BundleChart } from '../components/bundle-chart.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { LogoImage } from '../components/logo-image.js';
import { QrCode } from '../components/qr-code.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';
import { useAction } from '../lib/use-action.js';
import { formatWhen, ProgramPicker } from './bundles-screen.js';

const BANNER_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const BANNER_MAX = 1024 * 1024;

/**
 * One bundle for platform administrators: its wallet link and QR code to share, the banner, the
 * programs with their invitation states, and the figures (views, reservations, cards added per
 * program, conversion) as a small chart and a table.
 */
export function BundleScreen({ bundleId }: { bundleId: string }) {
  const { t, language } = useI18n();
  const { api, checkSession } = useApp();
  const loaded = useAsync(async () => {
    try {
      return (await api.adminBundle(bundleId)).bundle;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, bundleId);
  const bundle = loaded.data;
  return (
    <div className="page">
      <p className="crumbs">
        <a href={routeHref({ name: 'bundles' })}>← {t('bundles.title')}</a>
      </p>
      {loaded.loading && !bundle ? <Loading /> : null}
      {loaded.error ? <ErrorBox error={loaded.error} onRetry={loaded.reload} /> : null}
      {bundle ? (
        <>
          <h1>{bundle.name}</h1>
          <p className="muted">
            {formatWhen(bundle.startsAt, language)} – {formatWhen(bundle.endsAt, language)}
          </p>
          {bundle.description ? <p className="prewrap">{bundle.description}</p> : null}
          <Share bundle={bundle} />
          <Banner bundle={bundle} onChanged={loaded.reload} />
          <Programs bundle={bundle} onChanged={loaded.reload} />
          <Figures bundleId={bundle.bundleId} />
        </>
      ) : null}
    </div>
  );
}

function Share({ bundle }: { bundle: ConsoleBundle }) {
  const { t } = useI18n();
  return (
    <section className="panel bundle-share" aria-labelledby="share-title">
      <h2 id="share-title">{t('bundles.share')}</h2>
      <p className="muted">{t('bundles.share.help')}</p>
      <div className="bundle-share-body">
        <QrCode text={bundle.walletUrl} label={t('bundles.qr', { url: bundle.walletUrl })} />
        <div className="bundle-share-link">
          <code className="mono" data-testid="bundle-link">
            {bundle.walletUrl}
          </code>
          <CopyButton text={bundle.walletUrl} />
        </div>
      </div>
    </section>
  );
}

function Banner({ bundle, onChanged }: { bundle: ConsoleBundle; onChanged(): void }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [problem, setProblem] = useState<string>();
  const { busy, failure: error, setFailure: setError, run } = useAction();
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setProblem(undefined);
    setError(undefined);
    if (!BANNER_TYPES.includes(file.type)) return setProblem(t('logo.err.type'));
    if (file.size > BANNER_MAX) return setProblem(t('bundles.err.banner'));
    await run(async () => {
      await api.uploadBundleBanner(bundle.bundleId, file);
      onChanged();
    });
  };
  return (
    <section className="panel" aria-labelledby="banner-title">
      <h2 id="banner-title">{t('bundles.banner')}</h2>
      {bundle.bannerUrl ? (
        <img
          className="bundle-banner"
          src={`${bundle.bannerUrl}?v=${encodeURIComponent(bundle.updatedAt)}`}
          alt=""
        />
      ) : (
        <p className="muted">{t('bundles.banner.none')}</p>
      )}
      <label className="btn btn-secondary btn-small file-button">
        {busy ? t('common.saving') : t('bundles.banner.pick')}
        <input
          type="file"
          accept={BANNER_TYPES.join(',')}
          className="sr-only"
          disabled={busy}
          onChange={(e) => void pick(e.target.files?.[0])}
        />
      </label>
      <p className="muted small">{t('bundles.banner.help')}</p>
      {problem ? (
        <p className="alert alert-error" role="alert">
          {problem}
        </p>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </section>
  );
}

function Programs({ bundle, onChanged }: { bundle: ConsoleBundle; onChanged(): void }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [editing, setEditing] = useState<string[]>();
  const { busy, failure: error, setFailure: setError, run } = useAction();
  const [problem, setProblem] = useState<string>();
  const save = async (channelIds: string[]) => {
    setProblem(undefined);
    setError(undefined);
    if (channelIds.length < 2 || channelIds.length > 20) return setProblem(t('bundles.err.count'));
    await run(async () => {
      await api.setBundlePrograms(bundle.bundleId, channelIds);
      setEditing(undefined);
      onChanged();
    });
  };
  return (
    <section className="panel" aria-labelledby="programs-title">
      <h2 id="programs-title">{t('bundles.programs')}</h2>
      {editing ? (
        <div>
          <ProgramPicker chosen={editing} onChange={setEditing} />
          {problem ? (
            <p className="alert alert-error" role="alert">
              {problem}
            </p>
          ) : null}
          {error ? <ErrorBox error={error} /> : null}
          <div className="bundle-row-actions">
            <button
              type="button"
              className="btn btn-primary btn-small"
              disabled={busy}
              onClick={() => void save(editing)}
            >
              {busy ? t('common.saving') : t('bundles.programs.save')}
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              disabled={busy}
              onClick={() => setEditing(undefined)}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="btn btn-secondary btn-small"
          onClick={() =>
            setEditing(bundle.programs.filter((p) => p.state !== 'LEFT').map((p) => p.channelId))
          }
        >
          {t('bundles.programs.edit')}
        </button>
      )}
      <ul className="bundle-rows">
        {bundle.programs.map((p) => (
          <li key={p.channelId} className="bundle-row">
            <LogoImage src={p.logoUrl ?? undefined} className="bundle-logo" initial={p.name} />
            <span className="bundle-row-main">
              <strong>{p.name}</strong>
              <span className="muted mono small">{p.channelId}</span>
            </span>
            <StatusBadge status={p.status} />
            <span className={`badge badge-${p.state.toLowerCase()}`}>{t(`bundles.state.${p.state}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Figures({ bundleId }: { bundleId: string }) {
  const { t, language } = useI18n();
  const { api } = useApp();
  const figures = useAsync(() => api.bundleFigures(bundleId), `figures-${bundleId}`);
  const pct = (x: number) =>
    new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(x);
  const f = figures.data;
  return (
    <section className="panel" aria-labelledby="figures-title">
      <h2 id="figures-title">{t('bundles.figures')}</h2>
      {figures.loading && !f ? <Loading /> : null}
      {figures.error ? <ErrorBox error={figures.error} onRetry={figures.reload} /> : null}
      {f ? (
        <>
          <dl className="bundle-totals" data-testid="bundle-totals">
            <div>
              <dt>{t('bundles.fig.views')}</dt>
              <dd>{f.views}</dd>
            </div>
            <div>
              <dt>{t('bundles.fig.viewers')}</dt>
              <dd>{f.viewers}</dd>
            </div>
            <div>
              <dt>{t('bundles.fig.reservations')}</dt>
              <dd>{f.reservations}</dd>
            </div>
            <div>
              <dt>{t('bundles.fig.added')}</dt>
              <dd>{f.cardsAdded}</dd>
            </div>
            <div>
              <dt>{t('bundles.fig.conversion')}</dt>
              <dd>{pct(f.conversion)}</dd>
            </div>
          </dl>
          <BundleChart figures={f} />
          <div className="bundle-table-wrap">
            <table className="bundle-table">
              <thead>
                <tr>
                  <th scope="col">{t('bundles.programs')}</th>
                  <th scope="col">{t('bundles.fig.reservations')}</th>
                  <th scope="col">{t('bundles.fig.added')}</th>
                  <th scope="col">{t('bundles.fig.conversion')}</th>
                </tr>
              </thead>
              <tbody>
                {f.programs.map((p) => (
                  <tr key={p.channelId}>
                    <th scope="row">{p.name}</th>
                    <td>{p.reservations}</td>
                    <td>{p.cardsAdded}</td>
                    <td>{pct(p.conversion)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">{t('bundles.fig.help')}</p>
        </>
      ) : null}
    </section>
  );
}
