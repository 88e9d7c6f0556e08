import { useState } from 'react';
import type { Program, ProgramStatus } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox } from '../components/error-box.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';

/**
 * What an operator may do with its program's status (PROTOCOL.md §7): "Go live" from DRAFT (a review
 * request where the platform requires review, immediate where it does not), and withdraw a request
 * that is IN_REVIEW. Suspending and reinstating are the platform administrators' (the API answers
 * 4003 to anyone else), so a LIVE or SUSPENDED program offers no move here. Going live is confirmed in
 * place first: it changes who can add the card.
 */
export function StatusPanel({
  program,
  canChange,
  onChanged,
}: {
  program: Program;
  /** The operator's role may change the status (owners and admins). */
  canChange: boolean;
  onChanged(): void;
}) {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const [pending, setPending] = useState<ProgramStatus>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  const actions: { to: ProgramStatus; label: string; primary: boolean; confirm: boolean }[] = !canChange
    ? []
    : program.status === 'DRAFT'
      ? [{ to: 'LIVE', label: t('status.goLive'), primary: true, confirm: true }]
      : program.status === 'IN_REVIEW'
        ? [{ to: 'DRAFT', label: t('status.withdraw'), primary: false, confirm: false }]
        : [];

  const change = async (to: ProgramStatus) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await api.setStatus(program.channelId, to);
      setPending(undefined);
      onChanged();
    } catch (err) {
      checkSession(err);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel status-panel" aria-labelledby="status-title">
      <div className="status-row">
        <div>
          <h2 id="status-title">
            {t('status.title')}: <StatusBadge status={program.status} />
          </h2>
          <p className="hint">{t(`status.${program.status}.help`)}</p>
        </div>
        {pending === undefined && actions.length > 0 ? (
          <div className="button-row">
            {actions.map((a) => (
              <button
                key={a.to}
                type="button"
                className={a.primary ? 'btn btn-primary' : 'btn btn-secondary'}
                disabled={busy}
                onClick={() => (a.confirm ? setPending(a.to) : void change(a.to))}
              >
                {a.label}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      {pending !== undefined ? (
        <div className="confirm" role="alertdialog" aria-labelledby="status-confirm-text">
          <p id="status-confirm-text">{t('status.confirmLive', { name: program.name })}</p>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              // biome-ignore lint/a11y/noAutofocus: the confirmation takes focus so keyboard users can answer it
              autoFocus
              onClick={() => void change(pending)}
            >
              {t('status.goLive')}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              disabled={busy}
              onClick={() => setPending(undefined)}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {failure ? <ErrorBox error={failure} /> : null}
    </section>
  );
}
