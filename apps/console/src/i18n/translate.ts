import {
  LANGUAGES as CODES,
  createTranslator,
  type Translate as KitTranslate,
  LANGUAGE_NAMES,
  type Language,
  pickLanguage,
} from '@mycard/web-kit';
import { type Catalogue, en, type MessageKey } from './en.js';
import { ja } from './ja.js';
import { th } from './th.js';
import { zhTW } from './zh-tw.js';

export { isLanguage, type Language } from '@mycard/web-kit';

/** The console's languages, in the order of the language menu (the web kit's four). */
export const LANGUAGES = CODES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }));

export const CATALOGUES: Record<Language, Catalogue> = { 'zh-TW': zhTW, en, ja, th };

export type Translate = KitTranslate<MessageKey>;

/** A translator for `language` (ICU MessageFormat through @mycard/web-kit; values inserted as text). */
export function createTranslate(language: Language): Translate {
  return createTranslator(language, CATALOGUES[language], en);
}

/**
 * The language to start in: a stored choice, else the first browser language we speak
 * (any Chinese → zh-TW), else English.
 */
export function detectLanguage(stored: string | null, preferred: readonly string[]): Language {
  return pickLanguage([stored, ...preferred]);
}
