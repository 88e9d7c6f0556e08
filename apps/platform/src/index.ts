export { createPlatformApp, type PlatformApp, type PlatformAppOptions } from './app.js';
export { bundleWalletUrl, createBundle, decideMembership } from './bundles/bundle-repository.js';
export { ensureWebAppBuilt } from './cli/web-build.js';
export {
  ConfigError,
  DEFAULT_CONFIG,
  type PlatformConfig,
  type PlatformConfigInput,
  resolveConfig,
} from './config.js';
export type { DevelopmentLanding, PlatformContext } from './context.js';
export {
  createParticipant,
  listParticipants,
  makeGroupProgram,
} from './groups/participant-repository.js';
export { loadConfig, type RunningPlatform, runPlatform } from './main.js';
export { createOperator, findOperatorByEmail } from './operators/operator-repository.js';
export { ensurePlatformAdmin } from './operators/platform-admins.js';
export { createProgram, getProgram } from './programs/program-repository.js';
export { onShutdownSignal } from './shutdown-signals.js';
export { openDatabase } from './store/database.js';
