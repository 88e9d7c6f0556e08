import { useId, useState } from 'react';
import { useI18n } from '../i18n/i18n-context.js';
import { formatKiB } from '../lib/logo-file.js';
import { type PreparedLogo, prepareLogo } from '../lib/prepare-logo.js';
import { LogoImage } from './logo-image.js';

/**
 * Logo picker: checks type (by content) and size before anything is sent, crops to a square and
 * scales to 256×256, and previews the result. The upload happens when the form is saved.
 */
export function LogoField({
  logo,
  currentSrc,
  onChange,
}: {
  logo: PreparedLogo | undefined;
  currentSrc?: string | undefined;
  onChange(logo: PreparedLogo | undefined): void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await prepareLogo(file);
      if (result.ok) onChange(result.logo);
      else {
        onChange(undefined);
        setProblem(
          result.problem === 'size'
            ? t('logo.err.size', { size: formatKiB(file.size) })
            : result.problem === 'empty'
              ? t('logo.err.empty')
              : t('logo.err.type'),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`field logo-field${problem ? ' field-invalid' : ''}`}>
      <span className="field-label" id={`${id}-label`}>
        {t('field.logo')}
      </span>
      <div className="logo-row">
        <LogoImage bitmap={logo?.bitmap} src={logo ? undefined : currentSrc} className="logo-preview" />
        <div className="logo-actions">
          <label className="btn btn-secondary file-button" htmlFor={id}>
            {logo || currentSrc ? t('field.logo.replace') : t('field.logo.choose')}
          </label>
          <input
            id={id}
            className="file-input"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            aria-describedby={`${id}-hint ${id}-status`}
            disabled={busy}
            onChange={(e) => {
              void pick(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          {logo && currentSrc ? (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange(undefined)}>
              {t('field.logo.clear')}
            </button>
          ) : null}
        </div>
      </div>
      <p id={`${id}-hint`} className="hint">
        {t('field.logo.hint')}
      </p>
      <p id={`${id}-status`} className={problem ? 'error-text' : 'hint'} aria-live="polite">
        {problem ??
          (logo
            ? `${t('logo.ready', { size: formatKiB(logo.blob.size), w: logo.width, h: logo.height })}${
                logo.cropped ? ` · ${t('logo.cropped', { size: formatKiB(logo.originalBytes) })}` : ''
              }`
            : '')}
      </p>
    </div>
  );
}
