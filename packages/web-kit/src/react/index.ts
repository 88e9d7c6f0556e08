export {
  type I18n,
  I18nProvider,
  type I18nProviderProps,
  initialLanguage,
  useI18n,
} from './i18n-provider.js';
export { type AsyncResult, type AsyncState, useAsync } from './use-async.js';
