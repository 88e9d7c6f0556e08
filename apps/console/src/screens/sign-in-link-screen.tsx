import { ApiError } from '@mycard/web-kit';
import { useState } from 'react';
import type { Operator } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';

/**
 * The one-time sign-in link of `mycard admin create` (`#/sign-in-link/{token}`). The token is in
 * the fragment, so it never reaches a server log or a link previewer; it is spent only when the
 * person presses the button (POST /v1/console/session/link), and a spent or expired one says so.
 */
export function SignInLinkScreen({
  token,
  onSignedIn,
}: {
  token: string;
  onSignedIn(operator: Operator): void;
}) {
  const { t } = useI18n();
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const session = await api.signInWithLink(token);
      onSignedIn(session.operator);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const spent = failure instanceof ApiError && failure.returnCode === '4001';
  return (
    <div className="auth-wrap">
      <section className="auth-card panel stack" aria-labelledby="link-title">
        <h1 id="link-title">{t('link.title')}</h1>
        <p className="lead">{t('link.lead')}</p>
        {spent ? (
          <div className="alert alert-error" role="alert">
            <p>{t('link.used')}</p>
          </div>
        ) : (
          <button
            type="button"
            className="btn btn-primary btn-block"
            disabled={busy}
            onClick={() => void submit()}
          >
            {busy ? t('link.submitting') : t('link.submit')}
          </button>
        )}
        {failure && !spent ? <ErrorBox error={failure} /> : null}
      </section>
    </div>
  );
}
