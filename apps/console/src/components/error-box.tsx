import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import { friendlyError } from '../lib/error-message.js';

/** A failed call, said kindly: the message, the support reference, and a retry when there is one. */
export function ErrorBox({
  error,
  onRetry,
  overrides,
}: {
  error: unknown;
  onRetry?: (() => void) | undefined;
  overrides?: Partial<Record<string, MessageKey>>;
}) {
  const { t } = useI18n();
  const { message, reference } = friendlyError(error, t, overrides);
  return (
    <div className="alert alert-error" role="alert">
      <p>{message}</p>
      {reference ? <p className="reference">{t('error.reference', { ref: reference })}</p> : null}
      {onRetry ? (
        <button type="button" className="btn btn-secondary btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{t('common.loading')}</span>
    </div>
  );
}
