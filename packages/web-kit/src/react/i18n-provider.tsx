import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { isLanguage, type Language, pickLanguage } from '../i18n/languages.js';
import type { Catalogue, MessageValues, Translate } from '../i18n/translator.js';

export interface I18n<K extends string = string> {
  language: Language;
  setLanguage(language: Language): void;
  /** The message `key` in the current language (ICU: plurals, numbers, dates), as text. */
  t: Translate<K>;
  /** A date-time in the current language (medium date, short time); the input itself when not a date. */
  formatTime(iso: string): string;
}

interface LanguageState {
  language: Language;
  setLanguage(language: Language): void;
}

const LanguageContext = createContext<LanguageState | null>(null);

function storedLanguage(storageKey: string): Language | null {
  try {
    const saved = localStorage.getItem(storageKey);
    return isLanguage(saved) ? saved : null;
  } catch {
    return null;
  }
}

/**
 * The language at start: the choice saved under `storageKey`, then `preferred` (e.g. LIFF's), then
 * the browser's languages, then English.
 */
export function initialLanguage(storageKey: string, preferred?: string): Language {
  return pickLanguage([
    storedLanguage(storageKey),
    preferred,
    ...(navigator.languages ?? [navigator.language]),
  ]);
}

export interface I18nProviderProps {
  /** localStorage key of the person's choice (one per app). */
  storageKey: string;
  /** Every language's complete catalogue (test/i18n of each app checks them against English). */
  catalogues: Readonly<Record<Language, Catalogue>>;
  /** The language to show; when it changes, the page follows. Default: {@link initialLanguage}. */
  initial?: Language;
  children?: ReactNode;
}

/**
 * An app's i18n: react-intl's IntlProvider (so `<FormattedMessage>`, `<FormattedNumber>`… work
 * too) with the current language, remembered in localStorage and set on `<html lang>`.
 */
export function I18nProvider({ storageKey, catalogues, initial, children }: I18nProviderProps) {
  const [language, setLanguageState] = useState<Language>(() => initial ?? initialLanguage(storageKey));
  useEffect(() => {
    if (initial) setLanguageState(initial);
  }, [initial]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback(
    (next: Language) => {
      setLanguageState(next);
      try {
        localStorage.setItem(storageKey, next);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
    },
    [storageKey],
  );
  const state = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  const messages = useMemo(() => ({ ...catalogues.en, ...catalogues[language] }), [catalogues, language]);
  return (
    <LanguageContext.Provider value={state}>
      <IntlProvider locale={language} defaultLocale="en" messages={messages} onError={reportIntlError}>
        {children}
      </IntlProvider>
    </LanguageContext.Provider>
  );
}

/** The current language, its setter, `t(key, values)` and `formatTime(iso)`. */
export function useI18n<K extends string = string>(): I18n<K> {
  const state = useContext(LanguageContext);
  if (!state) throw new Error('useI18n outside I18nProvider');
  const intl = useIntl();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(state.language, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      ...state,
      t: (key: K, values?: MessageValues) =>
        String(intl.formatMessage({ id: key }, values, { ignoreTag: true })),
      formatTime: (iso: string) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
      },
    };
  }, [state, intl]);
}

/** Missing values show the message as written (the catalogue tests catch real mistakes). */
function reportIntlError(error: { code?: string; message: string }): void {
  if (error.code === 'FORMAT_ERROR' || error.code === 'MISSING_DATA') return;
  console.warn(`[i18n] ${error.message}`);
}
