import { type ReactNode, useId } from 'react';
import { useI18n } from '../i18n/i18n-context.js';
import type { FieldError } from '../lib/program-draft.js';

/**
 * A labelled form control with its hint and error, wired for screen readers: the control gets
 * `aria-describedby` (hint, error) and `aria-invalid`. `children` receives the ids to put on it.
 */
export function Field(props: {
  label: string;
  hint?: string | undefined;
  error?: FieldError | undefined;
  optional?: boolean;
  counter?: { n: number; max: number } | undefined;
  children: (control: {
    id: string;
    'aria-describedby': string | undefined;
    'aria-invalid': boolean;
  }) => ReactNode;
}) {
  const { t } = useI18n();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const over = props.counter && props.counter.n > props.counter.max;
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <div className="field-label-row">
        <label htmlFor={id}>
          {props.label}
          {props.optional ? <span className="optional"> ({t('common.optional')})</span> : null}
        </label>
        {props.counter ? (
          <span className={`counter${over ? ' counter-over' : ''}`} aria-hidden={!over}>
            {t('common.chars', { n: props.counter.n, max: props.counter.max })}
          </span>
        ) : null}
      </div>
      {props.children({ id, 'aria-describedby': describedBy, 'aria-invalid': Boolean(props.error) })}
      {props.hint ? (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={errorId} className="error-text">
          {t(props.error.key, props.error.params)}
        </p>
      ) : null}
    </div>
  );
}
