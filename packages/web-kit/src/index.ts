export {
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  languageOfTag,
  pickLanguage,
} from './i18n/languages.js';
export { type Catalogue, createTranslator, type MessageValues, type Translate } from './i18n/translator.js';
