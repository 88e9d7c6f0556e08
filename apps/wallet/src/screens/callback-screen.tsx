import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { BindingPreview, CallbackStatus, Card } from '../api/types.js';
import { useApp } from '../app/app-context.js';
import { AppShell } from '../components/app-shell.js';
import { CardFace } from '../components/card-face.js';
import { Link } from '../components/link.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { type BundleStep, bundleStepFor, endBundleStep } from '../lib/bundle-walk.js';
import { declineOutcome } from '../lib/decline.js';
import { setFlash } from '../lib/flash.js';
import type { CallbackParams, Route } from '../lib/router.js';
import { BASE, hrefFor } from '../lib/router.js';
import { navigate } from '../lib/use-route.js';

type Step =
  | { kind: 'checking' }
  /** `error`: the last "Don't add" failed in a way worth retrying (network, server). */
  | { kind: 'confirm'; preview: BindingPreview; error?: unknown }
  | { kind: 'completing'; preview: BindingPreview }
  | { kind: 'declining'; preview: BindingPreview }
  | { kind: 'done'; card: Card | undefined; name: string }
  | { kind: 'declined' }
  | { kind: 'cancelled'; status: 'CANCEL' | 'FAIL'; name: string | undefined }
  | { kind: 'error'; error: unknown }
  | { kind: 'invalid' };

const STATUSES: readonly string[] = ['SUCCESS', 'CANCEL', 'FAIL'];

/**
 * Removes the single-use token from the address bar (and from history) once it has been used. After
 * a card was added the address names it instead (`?added=`), so reloading the page shows the card
 * rather than "This link is incomplete" (issue 11 item 9).
 */
function forgetToken(added?: string): void {
  const query = added ? `?${new URLSearchParams({ added })}` : '';
  history.replaceState(null, '', `${BASE}bindings/callback${query}`);
}

const CALLBACK_ENTRY = 'mycard.callback';

/**
 * Back from the callback returns to the program's page, not to the merchant's last page (a sign-in
 * form or a redirect, a dead end): on arrival the callback's history entry becomes the program page
 * and the callback is pushed on top of it. Once per entry (Forward back onto it does not repeat it).
 */
function putProgramPageBehind(behind: Route): void {
  if ((history.state as { mycard?: string } | null)?.mycard === CALLBACK_ENTRY) return;
  const here = location.pathname + location.search;
  history.replaceState(null, '', hrefFor(behind));
  history.pushState({ mycard: CALLBACK_ENTRY }, '', here);
}

/**
 * The wallet callback (PROTOCOL.md §4.6–§4.7). SUCCESS: preview (merchant, masked code) → the
 * person confirms → complete; or says "Don't add" → complete with CANCEL and the same completion
 * token, so the binding is really cancelled (protocol-notes "Bindings"). CANCEL/FAIL: complete with
 * that status (the binding is cancelled) and say so. Expiry (3002), another account or browser (3007), an already held card (3006) and
 * other refusals each get their own sentence.
 */
export function CallbackScreen({ params }: { params: Partial<CallbackParams> }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [step, setStep] = useState<Step>({ kind: 'checking' });
  const started = useRef(false);
  const { token, channelId, status, added } = params;
  // A binding started from a campaign bundle returns to the bundle (PROTOCOL.md §9).
  const [bundle] = useState<BundleStep | undefined>(() => (channelId ? bundleStepFor(channelId) : undefined));
  const backToBundle = (message: string) => {
    if (!bundle) return false;
    endBundleStep();
    setFlash(message);
    navigate({ name: 'bundle', bundleId: bundle.bundleId }, { replace: true });
    return true;
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per callback (the started ref); the bundle step and t are read then.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (added && !token) {
      // A reload (or Forward) after the card was added: show the card.
      navigate({ name: 'card', bindingId: added }, { replace: true });
      return;
    }
    if (!token || !channelId || !/^\d{10}$/.test(channelId) || !status || !STATUSES.includes(status)) {
      setStep({ kind: 'invalid' });
      return;
    }
    putProgramPageBehind(
      bundle ? { name: 'bundle', bundleId: bundle.bundleId } : { name: 'program', channelId },
    );
    if (status === 'SUCCESS') {
      api.preview(token, channelId).then(
        (preview) => setStep({ kind: 'confirm', preview }),
        (error: unknown) => setStep({ kind: 'error', error }),
      );
      return;
    }
    const programName = api
      .program(channelId)
      .then((program) => program.name)
      .catch(() => undefined);
    api.complete(token, channelId, status as CallbackStatus).then(
      async () => {
        forgetToken();
        const name = await programName;
        if (backToBundle(t('bundle.cardNotAdded', { name: name ?? t('callback.theShop') }))) return;
        setStep({ kind: 'cancelled', status: status as 'CANCEL' | 'FAIL', name });
      },
      (error: unknown) => setStep({ kind: 'error', error }),
    );
  }, [api, token, channelId, status, added]);

  async function confirm(preview: BindingPreview) {
    // The confirm step is only reached with a checked token and channel id (the effect above).
    if (!token || !channelId) return;
    setStep({ kind: 'completing', preview });
    try {
      const card = await api.complete(token, channelId, 'SUCCESS');
      forgetToken(card?.bindingId);
      if (backToBundle(t('bundle.cardAdded', { name: preview.program.name }))) return;
      setStep({ kind: 'done', card, name: preview.program.name });
    } catch (error) {
      setStep({ kind: 'error', error });
    }
  }

  async function decline(preview: BindingPreview) {
    if (!token || !channelId) return;
    setStep({ kind: 'declining', preview });
    try {
      await api.cancelBinding(token, channelId);
      forgetToken();
      if (backToBundle(t('bundle.cardNotAdded', { name: preview.program.name }))) return;
      setStep({ kind: 'declined' });
    } catch (error) {
      const outcome = declineOutcome(error);
      if (outcome !== 'retry') forgetToken();
      if (outcome === 'declined') setStep({ kind: 'declined' });
      else if (outcome === 'error') setStep({ kind: 'error', error });
      else setStep({ kind: 'confirm', preview, error });
    }
  }

  const busy = step.kind === 'completing' || step.kind === 'declining';

  return (
    <AppShell title={t('callback.title')}>
      {step.kind === 'checking' ? <Loading label={t('callback.checking')} /> : null}
      {step.kind === 'confirm' || step.kind === 'completing' || step.kind === 'declining' ? (
        <div className="stack">
          <h2 className="screen-heading">{t('callback.confirmTitle')}</h2>
          <CardFace program={step.preview.program}>
            <span className="card-face-masked">
              <span className="muted-on-card">{t('callback.masked')}</span>
              <span className="mono">{step.preview.maskedMembershipCode}</span>
            </span>
          </CardFace>
          <p>{t('callback.confirmBody', { name: step.preview.program.name })}</p>
          {step.kind === 'confirm' && step.error ? <ErrorPanel error={step.error} /> : null}
          <button
            type="button"
            className="button primary block large"
            onClick={() => void confirm(step.preview)}
            disabled={busy}
            aria-busy={step.kind === 'completing'}
          >
            {t('callback.confirm')}
          </button>
          <button
            type="button"
            className="button secondary block"
            onClick={() => void decline(step.preview)}
            disabled={busy}
            aria-busy={step.kind === 'declining'}
          >
            {step.kind === 'declining' ? t('callback.declining') : t('callback.decline')}
          </button>
        </div>
      ) : null}
      {step.kind === 'done' ? (
        <Outcome
          tone="success"
          title={t('callback.doneTitle')}
          body={t('callback.doneBody', { name: step.name })}
        >
          {step.card ? (
            <Link
              to={{ name: 'card', bindingId: step.card.bindingId }}
              className="button primary block large"
            >
              {t('callback.view')}
            </Link>
          ) : null}
          <Link to={{ name: 'cards' }} className="button secondary block">
            {t('common.home')}
          </Link>
        </Outcome>
      ) : null}
      {step.kind === 'declined' ? (
        <Outcome tone="neutral" title={t('callback.cancelledTitle')} body={t('callback.declinedBody')}>
          <Link to={{ name: 'cards' }} className="button primary block">
            {t('common.home')}
          </Link>
        </Outcome>
      ) : null}
      {step.kind === 'cancelled' ? (
        <Outcome
          tone="neutral"
          title={step.status === 'CANCEL' ? t('callback.cancelledTitle') : t('callback.failedTitle')}
          body={
            step.status === 'CANCEL'
              ? t('callback.cancelledBody', { name: step.name ?? t('callback.theShop') })
              : t('callback.failedBody', { name: step.name ?? t('callback.theShop') })
          }
        >
          <Link to={{ name: 'add', query: '' }} className="button primary block">
            {t('cards.add')}
          </Link>
          <Link to={{ name: 'cards' }} className="button secondary block">
            {t('common.home')}
          </Link>
        </Outcome>
      ) : null}
      {step.kind === 'error' ? (
        <div className="stack">
          <ErrorPanel error={step.error} title={t('callback.failedTitle')} />
          {bundle ? (
            <Link to={{ name: 'bundle', bundleId: bundle.bundleId }} className="button primary block">
              {t('bundle.back')}
            </Link>
          ) : null}
          <Link to={{ name: 'cards' }} className="button secondary block">
            {t('common.home')}
          </Link>
        </div>
      ) : null}
      {step.kind === 'invalid' ? (
        <Outcome tone="neutral" title={t('callback.failedTitle')} body={t('callback.invalid')}>
          <Link to={{ name: 'cards' }} className="button primary block">
            {t('common.home')}
          </Link>
        </Outcome>
      ) : null}
    </AppShell>
  );
}

function Outcome({
  tone,
  title,
  body,
  children,
}: {
  tone: 'success' | 'neutral';
  title: string;
  body: string;
  children?: ReactNode;
}) {
  return (
    <div className={`outcome outcome-${tone}`} role="status">
      <div className="outcome-icon" aria-hidden="true">
        {tone === 'success' ? '✓' : 'i'}
      </div>
      <h2>{title}</h2>
      <p>{body}</p>
      <div className="stack">{children}</div>
    </div>
  );
}
