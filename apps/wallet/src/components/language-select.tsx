import { useId } from 'react';
import { useI18n } from '../i18n/i18n-context.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n/translate.js';

/** The language switcher: a labelled native select (keyboard and screen-reader friendly). */
export function LanguageSelect() {
  const { t, language, setLanguage } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('common.language')}</label>
      <select
        id={id}
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) setLanguage(event.target.value);
        }}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
