import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type MerchantConfig } from './config.js';

/** The file `npm start` (or an operator) writes after registering the program on the platform. */
export const CREDENTIALS_FILE = 'credentials.json';
const SESSION_SECRET_FILE = 'session-secret';

export interface Credentials {
  channelId: string;
  channelSecret: string;
  jwksUrl?: string;
  issuer?: string;
  platformUrl?: string;
}

/** Reads `<dataDir>/credentials.json` (the platform CLI's `program create --json` output fits). */
export function readCredentials(dataDir: string): Credentials | undefined {
  const path = join(dataDir, CREDENTIALS_FILE);
  if (!existsSync(path)) return undefined;
  const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Credentials>;
  if (typeof value.channelId !== 'string' || typeof value.channelSecret !== 'string') {
    throw new ConfigError(`${path} needs channelId and channelSecret`);
  }
  return value as Credentials;
}

/** Writes `<dataDir>/credentials.json` with mode 0600. */
export function writeCredentials(dataDir: string, credentials: Credentials): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, CREDENTIALS_FILE), `${JSON.stringify(credentials, null, 2)}\n`, {
    mode: 0o600,
  });
}

/**
 * Fills the secrets the config left empty: channel credentials from credentials.json, and the
 * session secret — generated into the data folder in development (and logged as such), required
 * in production. Returns the completed config and notes for the start-up log.
 */
export function loadSecrets(config: MerchantConfig): { config: MerchantConfig; notes: string[] } {
  const out = structuredClone(config);
  const notes: string[] = [];
  if (!out.channelId || !out.channelSecret) {
    const creds = readCredentials(out.dataDir);
    if (creds) {
      out.channelId ||= creds.channelId;
      out.channelSecret ||= creds.channelSecret;
      notes.push(`channel ${out.channelId} from ${join(out.dataDir, CREDENTIALS_FILE)}`);
    } else {
      notes.push('no My Card channel configured: binding and My Code are off until credentials exist');
    }
  }
  if (!out.sessionSecret) {
    if (out.mode === 'production') throw new ConfigError('sessionSecret is required in production mode');
    const path = join(out.dataDir, SESSION_SECRET_FILE);
    if (existsSync(path)) {
      out.sessionSecret = readFileSync(path, 'utf8').trim();
    } else {
      mkdirSync(out.dataDir, { recursive: true });
      out.sessionSecret = randomBytes(32).toString('base64url');
      writeFileSync(path, `${out.sessionSecret}\n`, { mode: 0o600 });
      notes.push(`development: generated a session secret into ${path}`);
    }
  }
  return { config: out, notes };
}
