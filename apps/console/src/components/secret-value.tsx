import { useI18n } from '../i18n/i18n-context.js';
import { CopyButton } from './copy-button.js';

/** A revealed secret: the value, a copy button and Hide. */
export function SecretValue({
  secret,
  testId,
  copyLabel,
  onHide,
}: {
  secret: string;
  testId: string;
  copyLabel: string;
  onHide(): void;
}) {
  const { t } = useI18n();
  return (
    <div className="value-row">
      <code className="value mono secret" data-testid={testId}>
        {secret}
      </code>
      <CopyButton text={secret} label={copyLabel} />
      <button type="button" className="btn btn-ghost btn-small" onClick={onHide}>
        {t('cred.hide')}
      </button>
    </div>
  );
}
