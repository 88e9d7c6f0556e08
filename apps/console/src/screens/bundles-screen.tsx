import { useAsync } from '@mycard/web-kit/react';
import { type FormEvent, useState } from 'react';
import type { BundleInvitation, ConsoleBundle } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';
import { useAction } from '../lib/use-action.js';

/** `2026-12-01T09:00` (the datetime-local value) of an ISO instant, in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatWhen(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * Campaign bundles (PROTOCOL.md §9). Every operator sees the invitations of their organizations'
 * programs (owners and admins accept or leave); platform administrators also see every bundle and
 * create new ones.
 */
export function BundlesScreen() {
  const { t } = useI18n();
  const { operator } = useApp();
  const isAdmin = operator?.platformRole === 'platform-admin';
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('bundles.title')}</h1>
        {isAdmin ? (
          <a className="btn btn-primary" href={routeHref({ name: 'newBundle' })}>
            + {t('bundles.new')}
          </a>
        ) : null}
      </div>
      <p className="muted">{t('bundles.lead')}</p>
      <Invitations />
      {isAdmin ? <AllBundles /> : null}
    </div>
  );
}

function Invitations() {
  const { t, language } = useI18n();
  const { api, checkSession } = useApp();
  const list = useAsync(async () => {
    try {
      return (await api.bundleInvitations()).invitations;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, 'invitations');
  const { busy, failure: error, run } = useAction();
  const decide = async (row: BundleInvitation, decision: 'accept' | 'leave') => {
    await run(async () => {
      await api.decideBundle(row.channelId, row.bundleId, decision);
      list.reload();
    });
  };
  return (
    <section className="panel" aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t('bundles.invitations')}</h2>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {error ? <ErrorBox error={error} /> : null}
      {list.data && list.data.length === 0 ? <p className="muted">{t('bundles.invitations.none')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="bundle-rows" data-testid="bundle-invitations">
          {list.data.map((row) => (
            <li key={`${row.bundleId}/${row.channelId}`} className="bundle-row">
              <div className="bundle-row-main">
                <strong>{row.name}</strong>
                <span className="muted">
                  {t('bundles.forProgram', { program: row.programName })} ·{' '}
                  {formatWhen(row.startsAt, language)} – {formatWhen(row.endsAt, language)}
                </span>
                {row.description ? <span className="muted small">{row.description}</span> : null}
              </div>
              <span className={`badge badge-${row.state.toLowerCase()}`}>
                {t(`bundles.state.${row.state}`)}
              </span>
              {row.canDecide ? (
                <span className="bundle-row-actions">
                  {row.state === 'INVITED' ? (
                    <button
                      type="button"
                      className="btn btn-primary btn-small"
                      disabled={busy}
                      onClick={() => void decide(row, 'accept')}
                    >
                      {t('bundles.accept')}
                    </button>
                  ) : null}
                  {row.state !== 'LEFT' ? (
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      disabled={busy}
                      onClick={() => void decide(row, 'leave')}
                    >
                      {row.state === 'INVITED' ? t('bundles.decline') : t('bundles.leave')}
                    </button>
                  ) : null}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AllBundles() {
  const { t, language } = useI18n();
  const { api, checkSession } = useApp();
  const list = useAsync(async () => {
    try {
      return (await api.adminBundles()).bundles;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, 'admin-bundles');
  return (
    <section className="panel" aria-labelledby="all-bundles-title">
      <h2 id="all-bundles-title">{t('bundles.all')}</h2>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? <p className="muted">{t('bundles.none')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="bundle-rows">
          {list.data.map((b) => (
            <li key={b.bundleId} className="bundle-row">
              <a className="bundle-row-main" href={routeHref({ name: 'bundle', bundleId: b.bundleId })}>
                <strong>{b.name}</strong>
                <span className="muted">
                  {formatWhen(b.startsAt, language)} – {formatWhen(b.endsAt, language)}
                </span>
              </a>
              <span className="muted">{joinedLine(b, t)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function joinedLine(b: ConsoleBundle, t: ReturnType<typeof useI18n>['t']): string {
  const joined = b.programs.filter((p) => p.state === 'JOINED').length;
  const invited = b.programs.filter((p) => p.state !== 'LEFT').length;
  return t('bundles.joinedOf', { joined, invited });
}

/** A platform administrator creates a bundle: name, description, dates and 2–20 programs to invite. */
export function NewBundleScreen() {
  const { t } = useI18n();
  const { api, checkSession, navigate } = useApp();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const now = new Date();
  const [startsAt, setStartsAt] = useState(toLocalInput(now.toISOString()));
  const [endsAt, setEndsAt] = useState(toLocalInput(new Date(now.getTime() + 7 * 86_400_000).toISOString()));
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    setError(undefined);
    if (chosen.length < 2 || chosen.length > 20) return setProblem(t('bundles.err.count'));
    const start = new Date(startsAt);
    const end = new Date(endsAt);
    if (!(end > start)) return setProblem(t('bundles.err.dates'));
    setBusy(true);
    try {
      const created = await api.createBundle({
        name,
        description,
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        channelIds: chosen,
      });
      navigate({ name: 'bundle', bundleId: created.bundle.bundleId });
    } catch (err) {
      checkSession(err);
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div className="page">
      <p className="crumbs">
        <a href={routeHref({ name: 'bundles' })}>← {t('bundles.title')}</a>
      </p>
      <h1>{t('bundles.new')}</h1>
      <form className="panel" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="bundle-name">{t('bundles.field.name')}</label>
          <input
            id="bundle-name"
            value={name}
            maxLength={64}
            required
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="bundle-description">{t('bundles.field.description')}</label>
          <textarea
            id="bundle-description"
            value={description}
            maxLength={500}
            rows={3}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <div className="field-pair">
          <div className="field">
            <label htmlFor="bundle-start">{t('bundles.field.startsAt')}</label>
            <input
              id="bundle-start"
              type="datetime-local"
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="bundle-end">{t('bundles.field.endsAt')}</label>
            <input
              id="bundle-end"
              type="datetime-local"
              value={endsAt}
              onChange={(e) => setEndsAt(e.target.value)}
            />
          </div>
        </div>
        <ProgramPicker chosen={chosen} onChange={setChosen} />
        {problem ? (
          <p className="alert alert-error" role="alert">
            {problem}
          </p>
        ) : null}
        {error ? <ErrorBox error={error} /> : null}
        <div className="submit-bar">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : t('bundles.create')}
          </button>
        </div>
      </form>
    </div>
  );
}

/** The programs an administrator may invite (every program but SUSPENDED ones), as checkboxes. */
export function ProgramPicker({ chosen, onChange }: { chosen: string[]; onChange(next: string[]): void }) {
  const { t } = useI18n();
  const { api } = useApp();
  const programs = useAsync(async () => (await api.adminPrograms()).programs, 'admin-programs');
  const candidates = (programs.data ?? []).filter(
    (p) => p.status !== 'SUSPENDED' || chosen.includes(p.channelId),
  );
  return (
    <fieldset className="field">
      <legend>{t('bundles.field.programs', { n: chosen.length })}</legend>
      {programs.loading && !programs.data ? <Loading /> : null}
      {programs.error ? <ErrorBox error={programs.error} onRetry={programs.reload} /> : null}
      <ul className="bundle-pick">
        {candidates.map((p) => (
          <li key={p.channelId}>
            <label>
              <input
                type="checkbox"
                checked={chosen.includes(p.channelId)}
                onChange={(e) =>
                  onChange(
                    e.target.checked ? [...chosen, p.channelId] : chosen.filter((c) => c !== p.channelId),
                  )
                }
              />{' '}
              {p.name} <span className="muted mono small">{p.channelId}</span>{' '}
              <span className="muted small">{t(`status.${p.status as 'LIVE'}`)}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
