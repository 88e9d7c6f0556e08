import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import type { ProgramDetails, WebhookDelivery } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';

/**
 * The program's 50 newest webhook events (issue 9.4): type, state, attempts, the last answer and the
 * next retry — and "Resend" (the same event id again: the merchant de-duplicates by it), as
 * Stripe's dashboard offers.
 */
export function WebhooksTab({ details }: { details: ProgramDetails }) {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const { program } = details;
  const [resent, setResent] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const list = useAsync(async () => {
    try {
      return await api.listWebhookDeliveries(program.channelId);
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, program.channelId);

  const resend = async (eventId: string) => {
    setBusy(eventId);
    setFailure(undefined);
    setResent(undefined);
    try {
      await api.resendWebhook(program.channelId, eventId);
      setResent(eventId);
      list.reload();
    } catch (err) {
      checkSession(err);
      setFailure(err);
    } finally {
      setBusy(undefined);
    }
  };

  const deliveries = list.data?.deliveries;
  return (
    <div className="stack-lg">
      <section className="panel">
        <div className="panel-head">
          <h2>{t('hooks.title')}</h2>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={list.reload}
            disabled={list.loading}
          >
            {t('hooks.refresh')}
          </button>
        </div>
        <p className="hint">{t('hooks.lead')}</p>
        {program.webhookUrl ? (
          <p className="hint">
            {t('hooks.url')} <code className="mono">{program.webhookUrl}</code>
          </p>
        ) : (
          <div className="alert alert-warning" role="status">
            <p>
              {t('hooks.noUrl')}{' '}
              <a href={routeHref({ name: 'program', channelId: program.channelId, tab: 'settings' })}>
                {t('tab.settings')}
              </a>
            </p>
          </div>
        )}
        {resent ? (
          <p className="success-text" role="status">
            {t('hooks.resent', { eventId: resent })}
          </p>
        ) : null}
        {failure ? <ErrorBox error={failure} /> : null}
      </section>
      {list.loading && !deliveries ? <Loading /> : null}
      {list.error && !deliveries ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {deliveries && deliveries.length === 0 ? (
        <section className="panel empty">
          <p>{t('hooks.empty')}</p>
        </section>
      ) : null}
      {deliveries && deliveries.length > 0 ? (
        <ul className="delivery-list" aria-label={t('hooks.title')}>
          {deliveries.map((d) => (
            <DeliveryRow
              key={d.eventId}
              delivery={d}
              busy={busy === d.eventId}
              onResend={() => resend(d.eventId)}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function DeliveryRow({
  delivery: d,
  busy,
  onResend,
}: {
  delivery: WebhookDelivery;
  busy: boolean;
  onResend(): void;
}) {
  const { t, formatTime } = useI18n();
  const answer =
    d.lastStatus !== null
      ? t('hooks.lastStatus', { status: d.lastStatus })
      : d.attempts > 0
        ? t('hooks.noAnswer')
        : t('hooks.notTried');
  return (
    <li className="delivery" data-testid="webhook-delivery" data-state={d.state}>
      <div className="delivery-head">
        <code className="mono delivery-type">{d.type}</code>
        <span className={`delivery-state delivery-${d.state}`}>{t(`hooks.state.${d.state}`)}</span>
      </div>
      <dl className="delivery-facts">
        <div>
          <dt>{t('hooks.created')}</dt>
          <dd>{formatTime(d.createdAt)}</dd>
        </div>
        <div>
          <dt>{t('hooks.attempts')}</dt>
          <dd>{t('hooks.attemptCount', { count: d.attempts })}</dd>
        </div>
        <div>
          <dt>{t('hooks.answer')}</dt>
          <dd>
            {answer}
            {d.lastError && d.lastError !== `http_${d.lastStatus}` ? (
              <span className="muted"> — {d.lastError}</span>
            ) : null}
          </dd>
        </div>
        {d.nextAttemptAt ? (
          <div>
            <dt>{t('hooks.next')}</dt>
            <dd>{formatTime(d.nextAttemptAt)}</dd>
          </div>
        ) : null}
        {d.deliveredAt ? (
          <div>
            <dt>{t('hooks.delivered')}</dt>
            <dd>{formatTime(d.deliveredAt)}</dd>
          </div>
        ) : null}
      </dl>
      <div className="delivery-foot">
        <code className="mono muted delivery-id">{d.eventId}</code>
        <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={onResend}>
          {busy ? t('hooks.resending') : t('hooks.resend')}
        </button>
      </div>
    </li>
  );
}
