export { ConfigError } from './config-error.js';
export { type ConfigKey, type ConfigKeyOptions, configKeys, envKeys, keyLabel } from './config-keys.js';
export { describeAllowed } from './describe-allowed.js';
export { isUrl } from './is-url.js';
export { nearestName } from './nearest-name.js';
export { type ConfigRule, defaultsOf, parseConfig } from './parse-config.js';
export { type EnvInput, type ReadEnvOptions, readEnv } from './read-env.js';
