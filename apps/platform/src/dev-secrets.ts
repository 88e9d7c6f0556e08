import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from './config.js';
import { generateMasterKey } from './crypto/secret-box.js';

/**
 * Development mode only: fills a missing master key from `<dataDir>/master.key`, creating it on the
 * first start, and says so. Production mode never reaches here without one (see resolveConfig).
 */
export function ensureDevSecrets(config: PlatformConfig, log: (msg: string) => void): PlatformConfig {
  if (config.masterKey) return config;
  if (config.mode === 'production') throw new Error('production mode needs MYCARD_MASTER_KEY');
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'master.key');
  if (!existsSync(file)) {
    writeFileSync(file, `${generateMasterKey()}\n`, { mode: 0o600 });
    log(`development mode: generated a master key in ${file} (set MYCARD_MASTER_KEY in production)`);
  }
  return { ...config, masterKey: readFileSync(file, 'utf8').trim() };
}
