import { useId } from 'react';
import { useI18n } from '../i18n/i18n-context.js';
import { isLanguage, LANGUAGES } from '../i18n/translate.js';

export function LanguageSelect() {
  const { language, setLanguage, t } = useI18n();
  const id = useId();
  return (
    <div className="language-select">
      <label htmlFor={id} className="sr-only">
        {t('nav.language')}
      </label>
      <select
        id={id}
        value={language}
        onChange={(e) => {
          if (isLanguage(e.target.value)) setLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}
