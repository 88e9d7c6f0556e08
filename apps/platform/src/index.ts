export { createPlatformApp, type PlatformApp, type PlatformAppOptions } from './app.js';
export { DEFAULT_CONFIG, type PlatformConfig, type PlatformConfigInput, resolveConfig } from './config.js';
