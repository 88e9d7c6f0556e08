import { useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { ConfirmButtons } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useAction } from '../lib/use-action.js';

/**
 * Suspend or reinstate a program: a reason is required (1–500 characters; the API keeps it in the
 * audit log and tells the operator), and the effect is said before the button.
 */
export function SuspensionForm({
  action,
  program,
  onDone,
  onCancel,
}: {
  action: 'suspend' | 'reinstate';
  program: { channelId: string; name: string };
  onDone(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const { api } = useApp();
  const id = useId();
  const [reason, setReason] = useState('');
  const { busy, failure, run } = useAction();
  const [missing, setMissing] = useState(false);

  const submit = async () => {
    const text = reason.trim();
    if (text === '') {
      setMissing(true);
      return;
    }
    await run(async () => {
      if (action === 'suspend') await api.admin.suspend(program.channelId, text);
      else await api.admin.reinstate(program.channelId, text);
      onDone();
    });
  };

  return (
    <form
      className="confirm suspension-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p id={`${id}-title`} className="admin-confirm-title">
        {t(action === 'suspend' ? 'programs.admin.suspend.confirm' : 'programs.admin.reinstate.confirm', {
          name: program.name,
        })}
      </p>
      <p className="hint">
        {t(action === 'suspend' ? 'programs.admin.suspend.effect' : 'programs.admin.reinstate.effect')}
      </p>
      <div className={missing ? 'field field-invalid' : 'field'}>
        <label htmlFor={`${id}-reason`}>{t('programs.admin.reason')}</label>
        <textarea
          id={`${id}-reason`}
          value={reason}
          maxLength={500}
          rows={3}
          aria-required="true"
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${id}-missing` : undefined}
          // biome-ignore lint/a11y/noAutofocus: the form opens on the button press; the reason is what comes next
          autoFocus
          onChange={(e) => {
            setReason(e.target.value);
            setMissing(false);
          }}
        />
        {missing ? (
          <p id={`${id}-missing`} className="error-text">
            {t('err.required')}
          </p>
        ) : null}
      </div>
      <ConfirmButtons
        label={t(action === 'suspend' ? 'programs.admin.suspend' : 'programs.admin.reinstate')}
        tone={action === 'suspend' ? 'danger' : 'primary'}
        busy={busy}
        onCancel={onCancel}
      />
      {failure ? <ErrorBox error={failure} /> : null}
    </form>
  );
}
