import { ApiError } from '@mycard/web-kit';
import { useAsync } from '@mycard/web-kit/react';
import { useEffect, useState } from 'react';
import type { WalletBundle, WalletBundleProgram } from '../api/types.js';
import { useApp } from '../app/app-context.js';
import { AppShell } from '../components/app-shell.js';
import { ProgramLogo } from '../components/card-face.js';
import { Link } from '../components/link.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { reserveAndGo } from '../lib/binding-redirect.js';
import { setSkippedCards, skippedCards, startBundleStep } from '../lib/bundle-walk.js';
import { takeFlash } from '../lib/flash.js';
import { formatDate } from '../lib/format.js';
import { safeImageUrl } from '../lib/safe-url.js';

type Bundle = WalletBundle['bundle'];

/** Neutral card colours for a bundle's programs (the bundle view carries no colours of its own). */
const FACE = { background: '#334155', foreground: '#ffffff' };

/**
 * A campaign bundle (PROTOCOL.md §9), `/wallet/bundles/{bundleId}`: the banner, the progress
 * ("2 of 5 added"), the next card to add — through the merchant's own binding page, coming back here
 * after the callback — with Skip, the list of every card (held ones shown as held), and a finished
 * state once every card is added or skipped.
 */
export function BundleScreen({ bundleId }: { bundleId: string }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [notice] = useState(takeFlash);
  const { state, reload } = useAsync(() => api.bundle(bundleId), bundleId);
  // Back from a merchant's page may restore this page from the browser's cache: read it again.
  useEffect(() => {
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted) reload();
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, [reload]);
  const title = state.status === 'ok' ? state.data.name : t('bundle.title');
  const missing =
    state.status === 'error' && state.error instanceof ApiError && state.error.returnCode === '4004';
  return (
    <AppShell title={title} back={{ name: 'cards' }}>
      {notice ? (
        <p className="toast" role="status">
          {notice}
        </p>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {missing ? (
        <div className="panel center" role="status">
          <p>{t('bundle.notFound')}</p>
          <Link to={{ name: 'cards' }} className="button secondary block">
            {t('common.home')}
          </Link>
        </div>
      ) : null}
      {state.status === 'error' && !missing ? <ErrorPanel error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? <BundleWalk bundle={state.data} /> : null}
    </AppShell>
  );
}

function BundleWalk({ bundle }: { bundle: Bundle }) {
  const { t, language } = useI18n();
  const { api } = useApp();
  const [skipped, setSkipped] = useState(() => skippedCards(bundle.bundleId));
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted) setBusy(undefined);
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);
  const total = bundle.programs.length;
  const added = bundle.programs.filter((p) => p.cardHeld).length;
  const next = bundle.programs.find((p) => !p.cardHeld && !skipped.includes(p.channelId));
  const banner = safeImageUrl(bundle.bannerUrl);

  function updateSkipped(list: string[]) {
    setSkipped(list);
    setSkippedCards(bundle.bundleId, list);
  }

  async function add(program: WalletBundleProgram) {
    setBusy(program.channelId);
    setError(null);
    try {
      startBundleStep({ bundleId: bundle.bundleId, channelId: program.channelId });
      await reserveAndGo(api, program.channelId, undefined, bundle.bundleId);
    } catch (e) {
      setError(e);
      setBusy(undefined);
    }
  }

  const progress = t('bundle.progress', { added, total });
  return (
    <div className="stack">
      {banner ? <img className="bundle-banner" src={banner} alt="" /> : null}
      <div className="bundle-head">
        {bundle.description ? <p className="prewrap">{bundle.description}</p> : null}
        <p className="muted small">{t('bundle.until', { date: formatDate(bundle.endsAt, language) })}</p>
      </div>
      <div className="panel" data-testid="bundle-progress">
        <p className="bundle-progress-text">
          <strong>{progress}</strong>
        </p>
        <progress className="bundle-progress" max={total} value={added} aria-label={progress} />
      </div>
      {error ? <ErrorPanel error={error} /> : null}
      {next ? (
        <div className="panel stack" data-testid="bundle-next">
          <h2 className="screen-heading">{t('bundle.next')}</h2>
          <div className="program-row bundle-next-row">
            <ProgramLogo program={{ ...next, colors: FACE }} size={52} />
            <span className="program-row-name">{next.name}</span>
          </div>
          <p className="muted small">{t('add.how', { name: next.name })}</p>
          <button
            type="button"
            className="button primary block large"
            onClick={() => void add(next)}
            disabled={busy !== undefined}
            aria-busy={busy === next.channelId}
          >
            {busy === next.channelId
              ? t('add.adding', { name: next.name })
              : t('bundle.add', { name: next.name })}
          </button>
          <button
            type="button"
            className="button secondary block"
            onClick={() => updateSkipped([...skipped, next.channelId])}
            disabled={busy !== undefined}
          >
            {t('bundle.skip')}
          </button>
        </div>
      ) : (
        <div className="outcome outcome-success" role="status" data-testid="bundle-finished">
          <div className="outcome-icon" aria-hidden="true">
            ✓
          </div>
          <h2>{added === total ? t('bundle.doneTitle') : t('bundle.finishedTitle')}</h2>
          <p>
            {added === total
              ? t('bundle.doneBody', { total, name: bundle.name })
              : t('bundle.finishedBody', { added, total })}
          </p>
          <div className="stack">
            <Link to={{ name: 'cards' }} className="button primary block">
              {t('common.home')}
            </Link>
            {added < total ? (
              <button type="button" className="button secondary block" onClick={() => updateSkipped([])}>
                {t('bundle.again')}
              </button>
            ) : null}
          </div>
        </div>
      )}
      <h2 className="screen-heading">{t('bundle.list')}</h2>
      <ul className="program-list" data-testid="bundle-list">
        {bundle.programs.map((program) => (
          <li key={program.channelId} className="program-row">
            <ProgramLogo program={{ ...program, colors: FACE }} size={44} />
            <span className="program-row-name">{program.name}</span>
            {program.cardHeld ? (
              <span className="chip subtle">{t('add.held')}</span>
            ) : (
              <>
                {skipped.includes(program.channelId) ? (
                  <span className="chip subtle">{t('bundle.skipped')}</span>
                ) : null}
                <button
                  type="button"
                  className="button secondary small-button"
                  onClick={() => void add(program)}
                  disabled={busy !== undefined}
                  aria-label={t('bundle.add', { name: program.name })}
                >
                  {t('bundle.addShort')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
