import { type FormEvent, useEffect, useState } from 'react';
import type { Operator } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';

/**
 * Operator sign-in and sign-up (the console API's accounts). `notice` says why the sign-in page is
 * shown when a session ended during work (and that an unsaved edit is kept, issue 11 item 12).
 */
export function AuthScreen({
  mode,
  notice,
  switchHref,
  invitation,
  onSignedIn,
}: {
  /** The token of the invitation link this sign-up comes from (opens a closed sign-up for its e-mail). */
  invitation?: string | undefined;
  mode: 'signin' | 'signup';
  notice?: 'expired' | 'expired-draft' | 'invite' | undefined;
  /** Where "Create an account" / "Sign in" leads (an invitation link keeps its own address). */
  switchHref?: string | undefined;
  onSignedIn(operator: Operator): void;
}) {
  const { t } = useI18n();
  const { api } = useApp();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  // Switching between "Sign in" and "Create an account" starts the other form afresh: the last
  // form's refusal and password do not carry over (the e-mail does).
  useEffect(() => {
    if (mode) {
      setFailure(undefined);
      setPassword('');
    }
  }, [mode]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      // Sign-up starts a session too; sign-in is the other way in.
      if (mode === 'signup')
        await api.signUp({ email, password, displayName, ...(invitation ? { invitation } : {}) });
      else await api.signIn({ email, password });
      onSignedIn((await api.me()).operator);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const overrides =
    mode === 'signin'
      ? ({ '4001': 'auth.badCredentials' } as const)
      : ({ '4004': 'auth.signupClosed', '4003': 'auth.emailTaken' } as const);

  return (
    <div className="auth-wrap">
      <div className="auth-card panel">
        <h1>{t(mode === 'signin' ? 'auth.signIn.title' : 'auth.signUp.title')}</h1>
        <p className="lead">{t(mode === 'signin' ? 'auth.signIn.lead' : 'auth.signUp.lead')}</p>
        {notice === 'invite' ? (
          <div className="alert alert-warning" role="status">
            <p>{t('invite.signInFirst')}</p>
          </div>
        ) : notice && mode === 'signin' ? (
          <div className="alert alert-warning" role="status">
            <p>{t(notice === 'expired-draft' ? 'auth.expiredDraft' : 'auth.expired')}</p>
          </div>
        ) : null}
        <form onSubmit={submit} className="stack">
          {mode === 'signup' ? (
            <div className="field">
              <label htmlFor="auth-name">{t('auth.displayName')}</label>
              <input
                id="auth-name"
                name="displayName"
                autoComplete="name"
                required
                maxLength={64}
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="auth-email">{t('auth.email')}</label>
            <input
              id="auth-email"
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="auth-password">{t('auth.password')}</label>
            <input
              id="auth-password"
              name="password"
              type="password"
              autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
              required
              minLength={mode === 'signup' ? 10 : undefined}
              aria-describedby={mode === 'signup' ? 'auth-password-hint' : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {mode === 'signup' ? (
              <p id="auth-password-hint" className="hint">
                {t('auth.passwordHint')}
              </p>
            ) : null}
          </div>
          {failure ? <ErrorBox error={failure} overrides={overrides} /> : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.loading') : t(mode === 'signin' ? 'auth.signIn.submit' : 'auth.signUp.submit')}
          </button>
        </form>
        <p className="auth-switch">
          <a href={switchHref ?? routeHref({ name: mode === 'signin' ? 'signup' : 'signin' })}>
            {t(mode === 'signin' ? 'auth.toSignUp' : 'auth.toSignIn')}
          </a>
        </p>
      </div>
      <p className="auth-tagline muted">{t('app.tagline')}</p>
    </div>
  );
}
