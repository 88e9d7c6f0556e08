import { createTranslator, type Language, type MessageValues, type Translate } from '@mycard/web-kit';
import { type Catalogue, en, type MessageKey } from './en.js';
import { ja } from './ja.js';
import { th } from './th.js';
import { zhTW } from './zh-tw.js';

export { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language, pickLanguage } from '@mycard/web-kit';
export type Vars = MessageValues;

export const CATALOGUES: Record<Language, Catalogue> = { 'zh-TW': zhTW, en, ja, th };

const translators = new Map<Language, Translate<MessageKey>>();

/**
 * The message `key` in `language` (ICU MessageFormat through @mycard/web-kit), with values inserted
 * as text (never as markup); a message whose values are missing is shown as written.
 */
export function translate(language: Language, key: MessageKey, vars?: Vars): string {
  let t = translators.get(language);
  if (!t) {
    t = createTranslator(language, CATALOGUES[language], en);
    translators.set(language, t);
  }
  return t(key, vars);
}
