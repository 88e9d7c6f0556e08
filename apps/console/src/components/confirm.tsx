import { useId } from 'react';
import { useI18n } from '../i18n/i18n-context.js';

/**
 * The two buttons that answer a confirmation: the action (a danger button unless `tone` says
 * primary; a submit button inside a form when `onConfirm` is left out) and Cancel.
 */
export function ConfirmButtons({
  label,
  onConfirm,
  onCancel,
  busy,
  tone = 'danger',
  autoFocus = false,
}: {
  label: string;
  onConfirm?: (() => void) | undefined;
  onCancel(): void;
  busy: boolean;
  tone?: 'danger' | 'primary';
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div className="button-row">
      <button
        type={onConfirm ? 'button' : 'submit'}
        className={tone === 'primary' ? 'btn btn-primary' : 'btn btn-danger'}
        disabled={busy}
        // biome-ignore lint/a11y/noAutofocus: a confirmation that asks for focus takes it so keyboard users can answer it
        autoFocus={autoFocus}
        onClick={onConfirm}
      >
        {label}
      </button>
      <button type="button" className="btn btn-ghost" disabled={busy} onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

/** A question asked in place before an action that cannot be taken back (rotate, remove, go live). */
export function ConfirmPanel({
  text,
  className,
  ...buttons
}: {
  text: string;
  /** Classes beside `confirm`. */
  className?: string;
  label: string;
  onConfirm(): void;
  onCancel(): void;
  busy: boolean;
  tone?: 'danger' | 'primary';
  autoFocus?: boolean;
}) {
  const id = useId();
  return (
    <div className={className ? `confirm ${className}` : 'confirm'} role="alertdialog" aria-labelledby={id}>
      <p id={id}>{text}</p>
      <ConfirmButtons {...buttons} />
    </div>
  );
}
