import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMyCardClient, type OneTimeKeyResolution } from '@mycard/merchant';
import { ConfigError } from '../config.js';

/**
 * A group's stores (PROTOCOL.md §8): when the shop's program is a group program, each store (a brand
 * or branch) is a participant with its own channel id and secret, written by whoever registered them
 * (`npm start` in development) into `<dataDir>/stores.json` (0600). Tills sign in to a store; a
 * scanned My Code is resolved through that store's channel; the member's one balance is shared.
 */
export const STORES_FILE = 'stores.json';

/** One store's entry in stores.json: the participant's id, name and channel credentials. */
export interface StoreCredentials {
  /** The participant id on the platform (`pt_…`), also the store's id in the ledger. */
  storeId: string;
  name: string;
  channelId: string;
  channelSecret: string;
}

/** A store as the shop uses it: its id and name, and its participant channel's one call. */
export interface Store {
  storeId: string;
  name: string;
  channelId: string;
  /** `GET /v1/onetimekeys/{key}` signed with the store's own channel (PROTOCOL.md §8). */
  resolveOneTimeKey(key: string): Promise<OneTimeKeyResolution>;
}

const STORE_ID = /^pt_[A-Za-z0-9_-]{16}$/;

/** Reads `<dataDir>/stores.json`; no file is a shop without stores (an empty list). */
export function readStores(dataDir: string): StoreCredentials[] {
  const path = join(dataDir, STORES_FILE);
  if (!existsSync(path)) return [];
  const value = JSON.parse(readFileSync(path, 'utf8')) as { stores?: unknown };
  if (!Array.isArray(value.stores)) throw new ConfigError(`${path} needs a "stores" list`);
  return value.stores.map((s: Partial<StoreCredentials>, i: number) => {
    if (
      typeof s.storeId !== 'string' ||
      !STORE_ID.test(s.storeId) ||
      typeof s.name !== 'string' ||
      s.name === '' ||
      typeof s.channelId !== 'string' ||
      !/^[0-9]{10}$/.test(s.channelId) ||
      typeof s.channelSecret !== 'string' ||
      s.channelSecret === ''
    ) {
      throw new ConfigError(`${path}: store ${i} needs storeId (pt_…), name, channelId and channelSecret`);
    }
    return { storeId: s.storeId, name: s.name, channelId: s.channelId, channelSecret: s.channelSecret };
  });
}

/** Writes `<dataDir>/stores.json` with mode 0600 (it holds channel secrets). */
export function writeStores(dataDir: string, stores: StoreCredentials[]): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, STORES_FILE), `${JSON.stringify({ stores }, null, 2)}\n`, { mode: 0o600 });
}

/** Each store with a participant client of the SDK (`kind: 'participant'`) on its own channel. */
export function createStores(
  credentials: StoreCredentials[],
  options: { platformUrl: string; fetch?: typeof fetch },
): Store[] {
  return credentials.map((c) => {
    const client = createMyCardClient({
      baseUrl: options.platformUrl,
      channelId: c.channelId,
      channelSecret: c.channelSecret,
      kind: 'participant',
      timeoutMs: 10_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return {
      storeId: c.storeId,
      name: c.name,
      channelId: c.channelId,
      resolveOneTimeKey: (key) => client.resolveOneTimeKey(key),
    };
  });
}
