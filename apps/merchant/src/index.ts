export { createMerchantApp, type MerchantApp, type MerchantAppOptions } from './app.js';
export {
  ConfigError,
  DEFAULT_MERCHANT_CONFIG,
  type MerchantConfig,
  type MerchantConfigInput,
  resolveMerchantConfig,
} from './config.js';
export { type DemoLogins, ensureDemoData } from './demo-data.js';
export { MERCHANT_ERRORS, MerchantError, type MerchantErrorCode } from './errors.js';
export { configFromEnv, type RunningMerchant, startMerchant } from './main.js';
export { type Credentials, readCredentials, writeCredentials } from './secrets.js';
export { readStores, type StoreCredentials, writeStores } from './stores/stores.js';
