import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../app/app-context.js';
import { AppShell } from '../components/app-shell.js';
import { Barcode } from '../components/barcode.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatCountdown, localExpiry, renewDelay, secondsLeft } from '../lib/countdown.js';
import { groupCode } from '../lib/format.js';
import { LIVE_POLL_MS } from '../lib/use-live.js';

interface Key {
  value: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * My Code (PROTOCOL.md §5): a single-use 18-digit key as a CODE128 barcode and a QR, with a visible
 * countdown, renewed automatically shortly before it expires and when the page comes back into view.
 */
export function MyCodeScreen() {
  const { t } = useI18n();
  const { api } = useApp();
  const [key, setKey] = useState<Key | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [renewing, setRenewing] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [used, setUsed] = useState(false);
  const inFlight = useRef(false);

  const renew = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setRenewing(true);
    try {
      const info = await api.myCode();
      const receivedAt = Date.now();
      setKey({
        value: info.oneTimeKey,
        issuedAt: receivedAt,
        expiresAt: localExpiry(info.expiresAt, receivedAt),
      });
      setUsed(false);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      inFlight.current = false;
      setRenewing(false);
    }
  }, [api]);

  useEffect(() => {
    void renew();
  }, [renew]);

  // A shop resolved the key (issue 11 item 11): the wallet learns it as it learns a card change,
  // by asking every few seconds while the code is shown, and then says so instead of counting down.
  useEffect(() => {
    if (!key || used) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      api.myCodeStatus(key.value).then(
        (info) => {
          if (info.state === 'used') setUsed(true);
        },
        () => undefined,
      );
    }, LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [api, key, used]);
  // Tick once a second for the countdown.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // Renew before expiry (a used key waits for the member to ask for a new one).
  useEffect(() => {
    if (!key || error || used) return;
    const timer = setTimeout(() => void renew(), renewDelay(key.issuedAt, key.expiresAt, Date.now()));
    return () => clearTimeout(timer);
  }, [key, error, used, renew]);

  // Timers sleep in background tabs: renew on return when the key is (nearly) dead.
  useEffect(() => {
    function onVisible() {
      if (document.visibilityState !== 'visible' || !key) return;
      if (renewDelay(key.issuedAt, key.expiresAt, Date.now()) <= 1000) void renew();
    }
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [key, renew]);

  const left = key ? secondsLeft(key.expiresAt, now) : 0;
  const fraction = key ? Math.max(0, Math.min(1, (key.expiresAt - now) / (key.expiresAt - key.issuedAt))) : 0;

  return (
    <AppShell title={t('mycode.title')}>
      <p className="muted lead-small">{t('mycode.lead')}</p>
      {error && !key ? <ErrorPanel error={error} onRetry={() => void renew()} /> : null}
      {!key && !error ? <Loading /> : null}
      {key && used ? (
        <div className="panel center" role="status" data-testid="mycode-used">
          <p className="mycode-used-title">{t('mycode.usedTitle')}</p>
          <p className="muted">{t('mycode.usedBody')}</p>
          <button type="button" className="button primary" onClick={() => void renew()} disabled={renewing}>
            {t('mycode.fresh')}
          </button>
        </div>
      ) : null}
      {key && !used ? (
        <div className="stack">
          <section className="code-panel mycode" aria-busy={renewing}>
            <h2 className="visually-hidden">{t('mycode.barcode')}</h2>
            <Barcode codeType="CODE128" text={key.value} label={t('mycode.codeLabel', { code: key.value })} />
            <p className="code-text" aria-hidden="true">
              {groupCode(key.value)}
            </p>
            <div className="qr-wrap">
              <h2 className="visually-hidden">{t('mycode.qr')}</h2>
              <Barcode
                codeType="QRCODE"
                text={key.value}
                label={`${t('mycode.qr')}: ${t('mycode.codeLabel', { code: key.value })}`}
                maxWidth={180}
              />
            </div>
            <div className="countdown">
              <div className="countdown-bar" aria-hidden="true">
                <span style={{ transform: `scaleX(${fraction})` }} />
              </div>
              <p role="timer" aria-live="off">
                {renewing || left === 0
                  ? t('mycode.renewing')
                  : t('mycode.validFor', { time: formatCountdown(left) })}
              </p>
            </div>
          </section>
          {error ? <ErrorPanel error={error} onRetry={() => void renew()} /> : null}
          <p className="muted small center">{t('mycode.oneTime')}</p>
        </div>
      ) : null}
    </AppShell>
  );
}
