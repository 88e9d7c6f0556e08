import { ApiError } from '@mycard/web-kit';
import { useId, useState } from 'react';
import type { ReportReason } from '../api/types.js';
import { useApp } from '../app/app-context.js';
import { useI18n } from '../i18n/i18n-context.js';
import { friendlyError } from '../lib/friendly-error.js';
import { retryWait } from '../lib/retry-wait.js';
import { ConfirmDialog } from './confirm-dialog.js';

const REASONS: ReportReason[] = ['impersonation', 'scam', 'inappropriate', 'broken', 'other'];

/**
 * "Report this card" / "Report this program" (issue 14): a quiet button that opens a dialog with
 * the reason (required), optional text, and Send. A refusal for too many reports (4029) says when
 * the next one can be sent (Retry-After); other failures say what happened, with the support
 * reference. A sent report closes the dialog and thanks the user.
 */
export function ReportButton({
  channelId,
  name,
  bindingId,
}: {
  channelId: string;
  name: string;
  bindingId?: string | undefined;
}) {
  const { t, language } = useI18n();
  const { api } = useApp();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason>();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [sent, setSent] = useState(false);

  const close = () => {
    setOpen(false);
    setFailure(undefined);
    setMissing(false);
  };
  async function send() {
    if (!reason) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      const trimmed = text.trim();
      await api.report(channelId, {
        reason,
        ...(trimmed ? { text: trimmed } : {}),
        ...(bindingId ? { bindingId } : {}),
      });
      setSent(true);
      setOpen(false);
      setReason(undefined);
      setText('');
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  const limited = failure instanceof ApiError && failure.returnCode === '4029';
  const problem = failure && !limited ? friendlyError(failure) : undefined;
  return (
    <div className="report">
      {sent ? (
        <p className="report-sent" role="status" data-testid="report-sent">
          {t('report.sent')}
        </p>
      ) : (
        <button
          type="button"
          className="button quiet block"
          onClick={() => {
            setOpen(true);
            setSent(false);
          }}
        >
          {t(bindingId ? 'report.open' : 'report.openProgram')}
        </button>
      )}
      <ConfirmDialog
        open={open}
        title={t('report.title', { name })}
        confirmLabel={busy ? t('report.sending') : t('report.send')}
        cancelLabel={t('common.cancel')}
        busy={busy}
        onConfirm={() => void send()}
        onCancel={close}
      >
        <p className="muted">{t('report.lead')}</p>
        <fieldset className="report-reasons" aria-describedby={missing ? `${id}-missing` : undefined}>
          <legend>{t('report.reason')}</legend>
          {REASONS.map((r) => (
            <label key={r} className="report-reason">
              <input
                type="radio"
                name={`${id}-reason`}
                value={r}
                checked={reason === r}
                onChange={() => {
                  setReason(r);
                  setMissing(false);
                }}
              />
              <span>{t(`report.reason.${r}`)}</span>
            </label>
          ))}
        </fieldset>
        {missing ? (
          <p id={`${id}-missing`} className="inline-error" role="alert">
            {t('report.needReason')}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-text`}>{t('report.text')}</label>
          <textarea
            id={`${id}-text`}
            rows={3}
            maxLength={1000}
            value={text}
            aria-describedby={`${id}-hint`}
            onChange={(e) => setText(e.target.value)}
          />
          <p id={`${id}-hint`} className="muted small">
            {t('report.textHint')}
          </p>
        </div>
        {limited ? (
          <p className="inline-error" role="alert" data-testid="report-limited">
            {t('report.rateLimited', { when: retryWait(failure.retryAfter ?? 3600, language) })}
          </p>
        ) : null}
        {problem ? (
          <p className="inline-error" role="alert">
            {t(problem.messageKey)}{' '}
            {problem.supportReference ? (
              <span className="support-ref">{t('common.supportRef', { ref: problem.supportReference })}</span>
            ) : null}
          </p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
