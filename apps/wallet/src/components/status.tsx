import { ApiError } from '@mycard/web-kit';
import { useContext } from 'react';
import { AppContext } from '../app/app-context.js';
import { useI18n } from '../i18n/i18n-context.js';
import { friendlyError } from '../lib/friendly-error.js';

/** A loading state that screen readers announce. */
export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

/**
 * An error as a person should see it: a friendly sentence, a retry when it makes sense, and the
 * support reference (return code + request id) in small print — never the raw code alone.
 */
export function ErrorPanel({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const { t } = useI18n();
  const app = useOptionalSessionLost();
  const friendly = friendlyError(error);
  const sessionEnded = error instanceof ApiError && error.returnCode === '4001';
  return (
    <div className="panel error-panel" role="alert">
      <div className="error-icon" aria-hidden="true">
        !
      </div>
      <h2 className="error-title">{title ?? t('error.title')}</h2>
      <p>{t(friendly.messageKey)}</p>
      <div className="actions">
        {sessionEnded && app ? (
          <button type="button" className="button primary" onClick={app}>
            {t('signin.submit')}
          </button>
        ) : onRetry ? (
          <button type="button" className="button primary" onClick={onRetry}>
            {t('common.retry')}
          </button>
        ) : null}
      </div>
      {friendly.supportReference ? (
        <p className="support-ref">{t('common.supportRef', { ref: friendly.supportReference })}</p>
      ) : null}
    </div>
  );
}

/** Errors may show before sign-in (no app context yet). */
function useOptionalSessionLost(): (() => void) | undefined {
  return useContext(AppContext)?.sessionLost;
}
