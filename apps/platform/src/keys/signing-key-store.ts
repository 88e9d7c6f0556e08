import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateSigningKey } from '@mycard/protocol';
import { importJWK } from 'jose';

/** One ES256 key as kept in the keys file. */
export interface StoredSigningKey {
  kid: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
  createdAt: string;
  /** Set when a newer key took over: the key stops signing but stays published for a while. */
  retiredAt: string | null;
}

interface KeysFile {
  keys: StoredSigningKey[];
}

export interface SigningKeyStore {
  /** The key that signs new binding tokens (imported once, reused). */
  current(): { kid: string; privateKey: CryptoKey };
  /** The public JWK set: the current key and retired keys whose tokens may still be live. */
  jwks(): { keys: JsonWebKey[] };
  /** A published public key by kid, or undefined. */
  publicKey(kid: string): CryptoKey | undefined;
  /** Re-reads the file when it changed (after `mycard keys rotate`); cheap, time-gated. */
  refresh(): Promise<void>;
}

export interface SigningKeyStoreOptions {
  file: string;
  /** Create the file with a fresh key when it is missing (development). */
  createIfMissing: boolean;
  /** Seconds a retired key stays published: the binding-token lifetime plus clock skew. */
  publishRetiredFor: number;
  now?: () => Date;
}

/**
 * Loads the ES256 signing keys from the keys file, importing each once. In development a missing
 * file is created with a new key; in production it must exist (`mycard keys rotate` creates it).
 */
export async function openSigningKeyStore(options: SigningKeyStoreOptions): Promise<SigningKeyStore> {
  const now = options.now ?? (() => new Date());
  if (!existsSync(options.file)) {
    if (!options.createIfMissing) {
      throw new Error(`signing keys file ${options.file} is missing: create it with 'mycard keys rotate'`);
    }
    await rotateSigningKeys(options.file, options.publishRetiredFor, now());
  }
  let state = await load(options.file, options.publishRetiredFor, now());
  let checkedAt = Date.now();
  return {
    current: () => state.current,
    // A retired key's window is checked at each use, not only when the file is (re)loaded: a process
    // that runs for days must stop accepting and publishing it once its tokens can no longer be live.
    jwks: () => ({
      keys: state.jwks.keys.filter((k) => k.kid !== undefined && state.published(k.kid, now())),
    }),
    publicKey: (kid) => (state.published(kid, now()) ? state.publicKeys.get(kid) : undefined),
    async refresh() {
      if (Date.now() - checkedAt < 5000) return;
      checkedAt = Date.now();
      const mtime = statSync(options.file).mtimeMs;
      if (mtime !== state.mtime) state = await load(options.file, options.publishRetiredFor, now());
    },
  };
}

async function load(file: string, publishRetiredFor: number, now: Date) {
  const mtime = statSync(file).mtimeMs;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeysFile;
  const live = parsed.keys.filter((k) => isPublished(k, publishRetiredFor, now));
  const active = parsed.keys.find((k) => k.retiredAt === null);
  if (!active) throw new Error(`signing keys file ${file} has no active key`);
  const publicKeys = new Map<string, CryptoKey>();
  for (const k of live) publicKeys.set(k.kid, (await importJWK(k.publicJwk, 'ES256')) as CryptoKey);
  const privateKey = (await importJWK(active.privateJwk, 'ES256')) as CryptoKey;
  const byKid = new Map(live.map((k) => [k.kid, k]));
  return {
    mtime,
    published: (kid: string, at: Date) => {
      const key = byKid.get(kid);
      return key !== undefined && isPublished(key, publishRetiredFor, at);
    },
    current: { kid: active.kid, privateKey },
    jwks: { keys: live.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: 'ES256', use: 'sig' })) },
    publicKeys,
  };
}

function isPublished(key: StoredSigningKey, publishRetiredFor: number, now: Date): boolean {
  if (key.retiredAt === null) return true;
  return Date.parse(key.retiredAt) + publishRetiredFor * 1000 > now.getTime();
}

/**
 * Adds a new active key and retires the previous one, which stays published for
 * `publishRetiredFor` seconds so tokens it signed still verify; keys past that are dropped.
 * The file is replaced atomically (write + rename) with mode 0600.
 */
export async function rotateSigningKeys(
  file: string,
  publishRetiredFor: number,
  now: Date = new Date(),
): Promise<{ kid: string; retired: string[] }> {
  const existing: KeysFile = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { keys: [] };
  const fresh = await generateSigningKey();
  const retired: string[] = [];
  const keys = existing.keys
    .map((k) => {
      if (k.retiredAt !== null) return k;
      retired.push(k.kid);
      return { ...k, retiredAt: now.toISOString() };
    })
    .filter((k) => isPublished(k, publishRetiredFor, now));
  keys.unshift({
    kid: fresh.kid,
    privateJwk: fresh.privateJwk,
    publicJwk: fresh.publicJwk,
    createdAt: now.toISOString(),
    retiredAt: null,
  });
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return { kid: fresh.kid, retired };
}
