import { type FormEvent, useId, useState } from 'react';
import type { WalletSession } from '../api/types.js';
import type { WalletApi } from '../api/wallet-api.js';
import { LanguageSelect } from '../components/language-select.js';
import { ErrorPanel } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';

export const DEMO_USERS = [
  { userId: 'alice', displayName: 'Alice', tone: '#0f766e' },
  { userId: 'bob', displayName: 'Bob', tone: '#7c3aed' },
  { userId: 'chen', displayName: 'Chen', tone: '#c2410c' },
] as const;

/** A stable user id for a typed name: lower-case letters and digits, or a hash of the name. */
export function userIdFor(displayName: string): string {
  const slug = displayName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  if (slug) return slug;
  let hash = 0;
  for (const ch of displayName) hash = (Math.imul(hash, 31) + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `user-${hash.toString(36)}`;
}

/** Dev identity: "sign in as" one of the demo users or a name of one's own (protocol-notes "Dev identity"). */
export function SignInScreen({
  api,
  onSignedIn,
}: {
  api: WalletApi;
  onSignedIn(session: WalletSession): void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const nameId = useId();

  async function signIn(userId: string, displayName: string) {
    setBusy(userId);
    setError(null);
    try {
      onSignedIn(await api.signInDev(userId, displayName));
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  }

  function submitCustom(event: FormEvent) {
    event.preventDefault();
    const displayName = name.trim();
    if (displayName) void signIn(userIdFor(displayName), displayName.slice(0, 64));
  }

  return (
    <main className="signin" id="main">
      <div className="signin-hero">
        <div className="hero-cards" aria-hidden="true">
          <span className="hero-card hero-card-1" />
          <span className="hero-card hero-card-2" />
          <span className="hero-card hero-card-3" />
        </div>
        <h1>{t('signin.title')}</h1>
        <p className="lead">{t('signin.lead')}</p>
      </div>
      {error ? <ErrorPanel error={error} /> : null}
      <ul className="demo-users">
        {DEMO_USERS.map((user) => (
          <li key={user.userId}>
            <button
              type="button"
              className="demo-user"
              disabled={busy !== null}
              aria-busy={busy === user.userId}
              onClick={() => void signIn(user.userId, user.displayName)}
            >
              <span className="avatar large" style={{ background: user.tone }} aria-hidden="true">
                {user.displayName[0]}
              </span>
              <span>{t('signin.as', { name: user.displayName })}</span>
              <span className="chevron" aria-hidden="true">
                ›
              </span>
            </button>
          </li>
        ))}
      </ul>
      <form className="panel custom-user" onSubmit={submitCustom}>
        <h2>{t('signin.custom')}</h2>
        <div className="field">
          <label htmlFor={nameId}>{t('signin.name')}</label>
          <input
            id={nameId}
            value={name}
            maxLength={64}
            autoComplete="nickname"
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <button type="submit" className="button primary block" disabled={busy !== null || !name.trim()}>
          {t('signin.submit')}
        </button>
      </form>
      <p className="muted small center">{t('signin.devNote')}</p>
      <div className="signin-language">
        <LanguageSelect />
      </div>
    </main>
  );
}
