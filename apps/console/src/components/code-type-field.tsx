import { CODE_TYPES, type CodeType } from '@mycard/protocol';
import { useI18n } from '../i18n/i18n-context.js';
import { CODE_TYPE_INFO } from '../lib/code-types.js';
import { BarcodeSample } from './barcode-sample.js';

/** The nine code types as a radio group, with a live sample of the chosen one. */
export function CodeTypeField({
  value,
  locked = false,
  onChange,
}: {
  value: CodeType;
  locked?: boolean;
  onChange(codeType: CodeType): void;
}) {
  const { t } = useI18n();
  const info = CODE_TYPE_INFO[value];
  return (
    <fieldset className="field code-type-field" disabled={locked}>
      <legend>{t('field.codeType')}</legend>
      <p className="hint">{t(locked ? 'field.codeType.locked' : 'field.codeType.hint')}</p>
      <div className="chip-grid">
        {CODE_TYPES.map((type) => (
          <label key={type} className={`chip${type === value ? ' chip-selected' : ''}`}>
            <input
              type="radio"
              name="codeType"
              value={type}
              checked={type === value}
              onChange={() => onChange(type)}
            />
            <span>{CODE_TYPE_INFO[type].label}</span>
          </label>
        ))}
      </div>
      <div className="sample-box">
        <div className="sample-caption">
          <strong>{t('code.sample')}</strong> <span className="mono">{info.sample}</span>
        </div>
        <BarcodeSample codeType={value} />
        <p className="hint">{t('code.rule', { rule: info.rule })}</p>
      </div>
    </fieldset>
  );
}
