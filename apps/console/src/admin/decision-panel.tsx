import { useId, useState } from 'react';
import { useApp } from '../app-context.js';
import { ConfirmButtons } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useAction } from '../lib/use-action.js';
import type { Review } from './admin-types.js';

const PRESETS = [
  'review.reject.preset.imitation',
  'review.reject.preset.binding',
  'review.reject.preset.detail',
] as const;

/** At most 10 reasons of 1–500 characters (the API's limits): one per non-empty line. */
export function reasonsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Approve, or reject with reasons the operator reads. Rejecting asks for at least one reason (a
 * line each, with common ones a tap away); approving says what it does first.
 */
export function DecisionPanel({
  review,
  name,
  onDecided,
}: {
  review: Review;
  name: string;
  onDecided(decision: 'approved' | 'rejected'): void;
}) {
  const { t } = useI18n();
  const { api } = useApp();
  const id = useId();
  const [rejecting, setRejecting] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<'review.reject.needReason' | 'review.reject.tooMany'>();
  const { busy, failure, run } = useAction();

  const decide = async (decision: 'approved' | 'rejected') => {
    let reasons: string[] = [];
    if (decision === 'rejected') {
      reasons = reasonsOf(text);
      if (reasons.length === 0) return setProblem('review.reject.needReason');
      if (reasons.length > 10 || reasons.some((r) => r.length > 500))
        return setProblem('review.reject.tooMany');
    }
    await run(async () => {
      if (decision === 'approved') await api.admin.approve(review.reviewId);
      else await api.admin.reject(review.reviewId, reasons);
      onDecided(decision);
    });
  };

  return (
    <aside className="panel decision-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('review.decision')}</h2>
      <p className="hint">
        {review.kind === 'go-live' ? t('review.approve.goLive', { name }) : t('review.approve.revision')}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void decide('approved')}
        >
          {t('review.approve')}
        </button>
        {rejecting ? null : (
          <button
            type="button"
            className="btn btn-secondary admin-danger"
            disabled={busy}
            onClick={() => setRejecting(true)}
          >
            {t('review.reject')}
          </button>
        )}
      </div>
      {rejecting ? (
        <form
          className="confirm reject-form"
          onSubmit={(e) => {
            e.preventDefault();
            void decide('rejected');
          }}
        >
          <div className={problem ? 'field field-invalid' : 'field'}>
            <label htmlFor={`${id}-reasons`}>{t('review.reject.reasons')}</label>
            <textarea
              id={`${id}-reasons`}
              rows={4}
              value={text}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem` : undefined}
              // biome-ignore lint/a11y/noAutofocus: opened by the Reject button; the reasons come next
              autoFocus
              onChange={(e) => {
                setText(e.target.value);
                setProblem(undefined);
              }}
            />
            {problem ? (
              <p id={`${id}-problem`} className="error-text">
                {t(problem)}
              </p>
            ) : null}
          </div>
          <p className="hint">{t('review.reject.preset')}</p>
          <div className="preset-list">
            {PRESETS.map((key) => (
              <button
                key={key}
                type="button"
                className="btn btn-ghost btn-small preset"
                onClick={() => {
                  const line = t(key);
                  setText((current) =>
                    current.trim() === '' ? line : `${current.replace(/\n+$/, '')}\n${line}`,
                  );
                  setProblem(undefined);
                }}
              >
                + {t(key)}
              </button>
            ))}
          </div>
          <ConfirmButtons label={t('review.reject')} busy={busy} onCancel={() => setRejecting(false)} />
        </form>
      ) : null}
      {failure ? <ErrorBox error={failure} /> : null}
    </aside>
  );
}
