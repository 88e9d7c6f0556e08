import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { createTranslate, detectLanguage, type Language, type Translate } from './translate.js';

const STORAGE_KEY = 'mycard.console.language';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  /** A date-time in the current language, e.g. for secret expiry. */
  formatTime(iso: string): string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    detectLanguage(storedLanguage(), navigator.languages ?? [navigator.language]),
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      language,
      setLanguage,
      t: createTranslate(language),
      formatTime: (iso) => {
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : format.format(d);
      },
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
