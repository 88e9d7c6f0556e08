import type { Kysely } from 'kysely';
import type { PlatformConfig } from './config.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { ApiCallRecorder } from './figures/api-call-recorder.js';
import type { SigningKeyStore } from './keys/signing-key-store.js';
import type { Limits } from './limits/limits.js';
import type { Mailer } from './mail/mailer.js';
import type { Database } from './store/schema.js';

/**
 * Everything a route or flow needs, built once at start by `createPlatformApp` and passed down
 * explicitly (no module-level state): configuration, database, keys, the secret box and the clock.
 */
export interface PlatformContext {
  config: PlatformConfig;
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  keys: SigningKeyStore;
  secrets: SecretBox;
  /** Key for pairwise subject ids (derived from the master key). */
  pairwiseKey: Buffer;
  /** This process's id among the instances (webhook and background-job leases name it). */
  instanceId: string;
  /** Rate limits and lockouts (memory, or Redis shared by every instance). */
  limits: Limits;
  /** E-mail of review decisions; undefined without an SMTP URL (the console always tells). */
  mailer: Mailer | undefined;
  /** Merchant API call counts (figures), buffered in memory and flushed to the database. */
  apiCalls: ApiCallRecorder;
  /** The clock; tests pass a controllable one. */
  now: () => Date;
  /** Development: what `npm start` runs beside the platform, for the landing page at `/`. */
  landing?: DevelopmentLanding;
}

/** The demo merchant and the demo logins the landing page lists (development, set by the launcher). */
export interface DevelopmentLanding {
  merchant?: { name: string; memberSite: string; bindingPage: string; pos: string };
  logins?: {
    role: 'logins.console' | 'logins.admin' | 'logins.member' | 'logins.operator';
    login: string;
    password?: string;
  }[];
}
