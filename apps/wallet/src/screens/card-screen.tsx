import { isCodeType } from '@mycard/protocol';
import { ApiError } from '@mycard/web-kit';
import { useState } from 'react';
import type { Card, CardProfile } from '../api/types.js';
import { useApp } from '../app/app-context.js';
import { AppShell } from '../components/app-shell.js';
import { Barcode } from '../components/barcode.js';
import { CardFace } from '../components/card-face.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Link } from '../components/link.js';
import { ParticipantList } from '../components/participant-list.js';
import { ProgramDetailView } from '../components/program-detail.js';
import { ReportButton } from '../components/report-button.js';
import '../components/report.css';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { setFlash } from '../lib/flash.js';
import { formatDate, formatNumber, groupCode } from '../lib/format.js';
import { friendlyError } from '../lib/friendly-error.js';
import { useLive } from '../lib/use-live.js';
import { navigate } from '../lib/use-route.js';

/** Mute or unmute the card's messages (PROTOCOL.md §11); the live card shows the new state. */
function MuteToggle({ card }: { card: Card }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [muted, setMuted] = useState(card.muted);
  const [busy, setBusy] = useState(false);
  async function toggle() {
    setBusy(true);
    try {
      setMuted((await api.mute(card.bindingId, !muted)).muted);
    } catch {
      // The state stays as shown; the button can be pressed again.
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="mute-row">
      <span data-testid="mute-state">{muted ? t('card.messagesMuted') : t('card.messagesOn')}</span>
      <button type="button" className="button secondary" disabled={busy} onClick={() => void toggle()}>
        {muted ? t('card.unmute') : t('card.muteMessages')}
      </button>
    </div>
  );
}

/**
 * One card: the membership code drawn large, the profile, the detail page, "report" and "remove".
 * A card of a suspended program is paused (issue 14): no code, a plain message, no detail page.
 */
export function CardScreen({ bindingId }: { bindingId: string }) {
  const { t } = useI18n();
  // Live (§11): a points update or a removal elsewhere shows within seconds, without a reload.
  const { state, reload } = useLive(
    `/v1/cards/${encodeURIComponent(bindingId)}`,
    (info) => (info as { card: Card }).card,
  );
  const title = state.status === 'ok' ? state.data.program.name : t('cards.title');
  return (
    <AppShell title={title} back={{ name: 'cards' }}>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <CardError error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.state !== 'ACTIVE' ? <RemovedCard card={state.data} /> : null}
      {state.status === 'ok' && state.data.state === 'ACTIVE' ? <CardView card={state.data} /> : null}
    </AppShell>
  );
}

/** A removed card at its old URL: said plainly, no code to show at a till, no Remove (item 8). */
function RemovedCard({ card }: { card: Card }) {
  const { t } = useI18n();
  return (
    <div className="stack">
      <CardFace program={card.program} size="header">
        <span className="card-face-meta">
          <span className="card-face-removed" data-testid="removed-badge">
            {t('card.removedBadge')}
          </span>
        </span>
      </CardFace>
      <div className="panel center" role="status" data-testid="card-removed">
        <p>{t('card.removedBody', { name: card.program.name })}</p>
        <Link to={{ name: 'program', channelId: card.channelId }} className="button primary">
          {t('card.addAgain')}
        </Link>
        <Link to={{ name: 'cards' }} className="button">
          {t('common.home')}
        </Link>
      </div>
    </div>
  );
}

function CardError({ error, onRetry }: { error: unknown; onRetry(): void }) {
  const { t } = useI18n();
  const gone = error instanceof ApiError && (error.returnCode === '4004' || error.returnCode === '4003');
  if (!gone) return <ErrorPanel error={error} onRetry={onRetry} />;
  return (
    <div className="panel center">
      <p>{t('card.notFound')}</p>
      <Link to={{ name: 'cards' }} className="button primary">
        {t('common.home')}
      </Link>
    </div>
  );
}

function CardView({ card }: { card: Card }) {
  const { t, language } = useI18n();
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const profile: Partial<CardProfile> = card.profile ?? {};
  const codeType = card.program.codeType;

  async function remove() {
    setRemoving(true);
    setRemoveError(null);
    try {
      await api.removeCard(card.bindingId);
      setFlash(t('card.removed', { name: card.program.name }));
      navigate({ name: 'cards' }, { replace: true });
    } catch (error) {
      setRemoving(false);
      setConfirming(false);
      setRemoveError(error);
    }
  }

  const facts: { label: string; value: string }[] = [];
  if (profile.level) facts.push({ label: t('card.level'), value: profile.level });
  if (profile.pointsExpireAt) {
    facts.push({ label: t('card.expires'), value: formatDate(profile.pointsExpireAt, language) });
  }

  return (
    <div className="stack">
      <CardFace program={card.program} size="header" paused={card.paused}>
        <span className="card-face-meta">
          <span className="card-face-member">
            {profile.displayName ? (
              <>
                <span className="muted-on-card">{t('card.member')}</span>
                <span>{profile.displayName}</span>
              </>
            ) : null}
          </span>
          {typeof profile.points === 'number' ? (
            <span className="card-face-balance">
              <span className="muted-on-card">{t('card.points')}</span>
              <span className="card-face-points" data-testid="points">
                {formatNumber(profile.points, language)}
              </span>
            </span>
          ) : null}
          {card.paused ? (
            <span className="card-face-paused" data-testid="paused-badge">
              {t('card.pausedBadge')}
            </span>
          ) : null}
        </span>
      </CardFace>
      {card.paused ? (
        <section
          className="panel paused-panel"
          role="status"
          aria-labelledby="paused-heading"
          data-testid="card-paused"
        >
          <div className="paused-icon" aria-hidden="true">
            ||
          </div>
          <h2 id="paused-heading">{t('card.pausedTitle')}</h2>
          <p>{t('card.pausedBody', { name: card.program.name })}</p>
        </section>
      ) : (
        <section className="code-panel" aria-labelledby="code-heading">
          <h2 id="code-heading" className="visually-hidden">
            {t('card.code')}
          </h2>
          {isCodeType(codeType) ? (
            <Barcode
              codeType={codeType}
              text={card.membershipCode}
              label={t('card.codeLabel', { code: card.membershipCode })}
            />
          ) : null}
          <p className="code-text" aria-hidden="true">
            {groupCode(card.membershipCode)}
          </p>
          <p className="code-hint">{t('card.showAtTill')}</p>
        </section>
      )}
      {facts.length > 0 ? (
        <dl className="facts">
          {facts.map((fact) => (
            <div key={fact.label} className="fact">
              <dt>{fact.label}</dt>
              <dd>{fact.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {card.paused ? null : <ParticipantList program={card.program} />}
      {card.paused ? null : <ProgramDetailView detail={card.program.detail} bindingId={card.bindingId} />}
      <MuteToggle card={card} />
      {removeError ? (
        <p className="inline-error" role="alert">
          {t(friendlyError(removeError).messageKey)}{' '}
          <span className="support-ref">
            {t('common.supportRef', { ref: friendlyError(removeError).supportReference ?? '' })}
          </span>
        </p>
      ) : null}
      <button type="button" className="button danger-outline block" onClick={() => setConfirming(true)}>
        {t('card.remove')}
      </button>
      <ReportButton channelId={card.channelId} bindingId={card.bindingId} name={card.program.name} />
      <ConfirmDialog
        open={confirming}
        title={t('card.removeTitle', { name: card.program.name })}
        confirmLabel={t('card.removeConfirm')}
        cancelLabel={t('common.cancel')}
        destructive
        busy={removing}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('card.removeBody', { name: card.program.name })}</p>
      </ConfirmDialog>
    </div>
  );
}
