import type { Language } from '@mycard/web-kit';
import {
  I18nProvider as KitI18nProvider,
  initialLanguage as kitInitialLanguage,
  useI18n as useKitI18n,
} from '@mycard/web-kit/react';
import type { ReactNode } from 'react';
import type { MessageKey } from './en.js';
import { CATALOGUES } from './translate.js';

const STORAGE_KEY = 'mycard.language';

/** The language at start: a saved choice, then LIFF's, then the browser's (issue #4). */
export function initialLanguage(liffLanguage?: string): Language {
  return kitInitialLanguage(STORAGE_KEY, liffLanguage);
}

/** The wallet's i18n: react-intl through @mycard/web-kit, with the wallet's catalogues. */
export function I18nProvider({ initial, children }: { initial: Language; children: ReactNode }) {
  return (
    <KitI18nProvider storageKey={STORAGE_KEY} catalogues={CATALOGUES} initial={initial}>
      {children}
    </KitI18nProvider>
  );
}

export const useI18n = () => useKitI18n<MessageKey>();
