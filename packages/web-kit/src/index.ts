export {
  type ApiClient,
  type ApiClientOptions,
  createApiClient,
  type FetchLike,
  type Method,
  type RequestOptions,
} from './api/api-client.js';
export {
  ApiError,
  type ApiErrorDetail,
  type ClientErrorCode,
  isApiError,
  supportReference,
} from './api/api-error.js';
export {
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  languageOfTag,
  pickLanguage,
} from './i18n/languages.js';
export { type Catalogue, createTranslator, type MessageValues, type Translate } from './i18n/translator.js';
