import { I18nProvider as KitI18nProvider, useI18n as useKitI18n } from '@mycard/web-kit/react';
import type { ReactNode } from 'react';
import type { MessageKey } from './en.js';
import { CATALOGUES } from './translate.js';

/**
 * The console's i18n: react-intl through @mycard/web-kit. The language at start: a stored choice,
 * else the first browser language we speak, else English.
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  return (
    <KitI18nProvider storageKey="mycard.console.language" catalogues={CATALOGUES}>
      {children}
    </KitI18nProvider>
  );
}

export const useI18n = () => useKitI18n<MessageKey>();
