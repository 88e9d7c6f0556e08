import type { Kysely } from 'kysely';
import type { MerchantConfig } from './config.js';
import type { Committer } from './db/group-commit.js';
import type { Database } from './db/schema.js';
import type { PlatformPort } from './platform/platform-port.js';
import type { Store } from './stores/stores.js';

/** What flows and routes receive: the resolved config, the database, the platform and a clock. */
export interface MerchantContext {
  config: MerchantConfig;
  db: Kysely<Database>;
  /** Commits ledger transactions durably (grouped on SQLite): see `groupCommit`. */
  ledger: Committer;
  platform: PlatformPort;
  now: () => Date;
  /** A group's stores, each a participant channel (PROTOCOL.md §8); empty or absent: no stores. */
  stores?: readonly Store[];
  /** Wakes the outbox worker after a commit that enqueued a profile update. */
  nudgeSync: () => void;
}
