import { useState } from 'react';
import type { Program, ProgramStatus } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ConfirmPanel } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useAction } from '../lib/use-action.js';

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
  const { api } = useApp();
  const [pending, setPending] = useState<ProgramStatus>();
  const { busy, failure, run } = useAction();

  const actions: { to: ProgramStatus; label: string; primary: boolean; confirm: boolean }[] = !canChange
    ? []
    : program.status === 'DRAFT'
      ? [{ to: 'LIVE', label: t('status.goLive'), primary: true, confirm: true }]
      : program.status === 'IN_REVIEW'
        ? [{ to: 'DRAFT', label: t('status.withdraw'), primary: false, confirm: false }]
        : [];

  const change = (to: ProgramStatus) =>
    run(async () => {
      await api.setStatus(program.channelId, to);
      setPending(undefined);
      onChanged();
    });

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
        <ConfirmPanel
          text={t('status.confirmLive', { name: program.name })}
          label={t('status.goLive')}
          tone="primary"
          autoFocus
          busy={busy}
          onConfirm={() => void change(pending)}
          onCancel={() => setPending(undefined)}
        />
      ) : null}
      {failure ? <ErrorBox error={failure} /> : null}
    </section>
  );
}
