/**
 * The merchant system's configuration: one typed object. Only `main.ts` reads the environment;
 * everything else receives a `MerchantConfig`. Defaults live in `DEFAULT_MERCHANT_CONFIG` (units in
 * comments); `resolveMerchantConfig` rejects unknown keys and impossible values.
 */
import type { CodeType } from '@mycard/protocol';

export type RunMode = 'development' | 'production';
export type Locale = 'zh-TW' | 'en' | 'ja' | 'th';
export const LOCALES: readonly Locale[] = ['zh-TW', 'en', 'ja', 'th'];

export interface EarningRule {
  /** Currency amount (in the till's unit, e.g. 1 TWD) that earns `pointsPerStep`. */
  amountPerStep: number;
  /** Points per full step; partial steps are rounded down. */
  pointsPerStep: number;
}

export interface Level {
  /** Shown on the wallet card, e.g. "Gold". */
  name: string;
  /** Lifetime earned points (accruals minus reversals) needed for this level. */
  minLifetimePoints: number;
}

export interface MerchantConfig {
  /** 'development' generates a missing session secret into `dataDir`; 'production' requires it. */
  mode: RunMode;
  /** Interface to listen on; loopback by default (put a TLS reverse proxy in front). */
  host: string;
  /** TCP port (0 = any free port). */
  port: number;
  /** The origin members and the wallet reach this site at, no trailing slash. Default http://localhost:<port>. */
  publicUrl: string;
  /** Folder for the SQLite database, the generated session secret and credentials.json. */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; empty selects SQLite at `<dataDir>/merchant.db`. */
  databaseUrl: string;
  /** PostgreSQL schema (search_path); empty = the server default. Tests isolate themselves with it. */
  databaseSchema: string;
  /** My Card channel id (10 digits); empty = read from `<dataDir>/credentials.json`. */
  channelId: string;
  /** My Card channel secret (64 hex); empty = read from `<dataDir>/credentials.json`. */
  channelSecret: string;
  /** The platform's merchant API base URL, e.g. https://mycard.example. */
  platformUrl: string;
  /** Expected `iss` of binding tokens (the platform public URL); empty = platformUrl. */
  issuer: string;
  /** Where the platform publishes its ES256 keys; empty = `<issuer>/.well-known/jwks.json`. */
  jwksUrl: string;
  /** HMAC key (≥ 32 chars) for cookies and CSRF tokens; generated into dataDir in development. */
  sessionSecret: string;
  brand: {
    name: string;
    /** `#rrggbb` colours of the header and buttons. */
    colors: { background: string; foreground: string };
  };
  /** Code type of the program (PROTOCOL.md §7); membership codes are generated to fit it. */
  codeType: CodeType;
  /** Leading digits of generated numeric codes (GS1 prefix 2 = restricted in-store circulation). */
  codePrefix: string;
  /** Currency accepted at the till (ISO 4217). Amounts are integers of this currency's till unit. */
  currency: string;
  /** Default: 1 point per 100 currency units, rounded down. */
  earning: EarningRule;
  /** Largest amount one accrual or reversal may carry (currency units). */
  maxAmount: number;
  /** Largest number of points one redemption may carry. */
  maxPoints: number;
  /** Levels by lifetime points, lowest first; empty = no level on the wallet card. */
  levels: Level[];
  /** Language when neither a cookie nor Accept-Language decides. */
  defaultLocale: Locale;
  /** Member session lifetime (seconds). */
  memberSessionTtl: number;
  /** POS operator session lifetime (seconds). */
  operatorSessionTtl: number;
  sync: {
    /** Outbox poll interval (milliseconds); 0 disables the background worker (tests drive it). */
    pollMs: number;
    /** First retry delay after a failed delivery (milliseconds); doubles per attempt. */
    baseDelayMs: number;
    /** Cap of the retry delay (milliseconds). */
    maxDelayMs: number;
    /** How long a profile update keeps being retried before it is marked dead (seconds). */
    giveUpAfter: number;
  };
  /** Pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Trust X-Forwarded-* from a reverse proxy. */
  trustProxy: boolean;
}

export const DEFAULT_MERCHANT_CONFIG: MerchantConfig = {
  mode: 'development',
  host: '127.0.0.1',
  port: 4000,
  publicUrl: '',
  dataDir: './data/merchant',
  databaseUrl: '',
  databaseSchema: '',
  channelId: '',
  channelSecret: '',
  platformUrl: 'http://localhost:3000',
  issuer: '',
  jwksUrl: '',
  sessionSecret: '',
  brand: { name: 'Demo Mart', colors: { background: '#0f766e', foreground: '#ffffff' } },
  codeType: 'EAN13',
  codePrefix: '29',
  currency: 'TWD',
  earning: { amountPerStep: 100, pointsPerStep: 1 },
  maxAmount: 10_000_000,
  maxPoints: 1_000_000,
  levels: [],
  defaultLocale: 'en',
  memberSessionTtl: 7 * 24 * 3600,
  operatorSessionTtl: 12 * 3600,
  sync: { pollMs: 1000, baseDelayMs: 1000, maxDelayMs: 60_000, giveUpAfter: 7 * 24 * 3600 },
  logLevel: 'info',
  trustProxy: false,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};
export type MerchantConfigInput = DeepPartial<MerchantConfig>;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Merges `input` over the defaults, rejects unknown keys and impossible values and fills what
 * derives from other settings. Secrets from the data folder are filled later by `loadSecrets`.
 *
 * @example
 * ```ts
 * const config = resolveMerchantConfig({ port: 0, dataDir: '/tmp/shop' });
 * ```
 */
export function resolveMerchantConfig(input: MerchantConfigInput = {}): MerchantConfig {
  const c = mergeStrict(DEFAULT_MERCHANT_CONFIG, input, '') as MerchantConfig;
  const fail = (msg: string): never => {
    throw new ConfigError(msg);
  };
  if (c.mode !== 'development' && c.mode !== 'production') fail(`mode must be development or production`);
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) fail(`port must be an integer 0–65535`);
  if (!c.publicUrl) c.publicUrl = `http://localhost:${c.port}`;
  c.publicUrl = stripSlash(parseUrl(c.publicUrl, 'publicUrl'));
  c.platformUrl = stripSlash(parseUrl(c.platformUrl, 'platformUrl'));
  c.issuer = c.issuer ? stripSlash(parseUrl(c.issuer, 'issuer')) : c.platformUrl;
  // Session and CSRF cookies are only as private as the transport.
  if (c.mode === 'production' && !c.publicUrl.startsWith('https:'))
    fail('publicUrl must be https in production');
  c.jwksUrl = c.jwksUrl ? parseUrl(c.jwksUrl, 'jwksUrl') : `${c.issuer}/.well-known/jwks.json`;
  if (c.databaseUrl && !/^postgres(ql)?:\/\//.test(c.databaseUrl)) fail('databaseUrl must be postgres://…');
  if (c.databaseSchema && !/^[a-z_][a-z0-9_]{0,62}$/.test(c.databaseSchema)) fail('databaseSchema: bad name');
  if (c.channelId && !/^\d{10}$/.test(c.channelId)) fail('channelId must be 10 digits');
  if (c.channelSecret && !/^[0-9a-f]{64}$/i.test(c.channelSecret)) fail('channelSecret must be 64 hex');
  if (c.sessionSecret && c.sessionSecret.length < 32) fail('sessionSecret must be at least 32 characters');
  if (!HEX_COLOR.test(c.brand.colors.background) || !HEX_COLOR.test(c.brand.colors.foreground)) {
    fail('brand colours must be #rrggbb');
  }
  if (!c.brand.name || c.brand.name.length > 64) fail('brand.name must be 1–64 characters');
  if (!/^\d{0,6}$/.test(c.codePrefix)) fail('codePrefix must be 0–6 digits');
  if (!/^[A-Z]{3}$/.test(c.currency)) fail('currency must be an ISO 4217 code');
  for (const [k, v] of Object.entries(c.earning)) {
    if (!Number.isSafeInteger(v) || v <= 0) fail(`earning.${k} must be a positive integer`);
  }
  for (const k of ['maxAmount', 'maxPoints', 'memberSessionTtl', 'operatorSessionTtl'] as const) {
    if (!Number.isSafeInteger(c[k]) || c[k] <= 0) fail(`${k} must be a positive integer`);
  }
  // Points and amounts live in 32-bit integer columns on both dialects.
  if (c.maxAmount > 1_000_000_000 || c.maxPoints > 1_000_000_000) fail('maxAmount/maxPoints ≤ 1e9');
  if (!LOCALES.includes(c.defaultLocale)) fail(`defaultLocale must be one of ${LOCALES.join(', ')}`);
  let previous: number | undefined;
  c.levels.forEach((l, i) => {
    if (!l.name || !Number.isSafeInteger(l.minLifetimePoints)) fail(`levels[${i}] is invalid`);
    if (previous !== undefined && l.minLifetimePoints <= previous) fail('levels must ascend');
    previous = l.minLifetimePoints;
  });
  return c;
}

function parseUrl(value: string, name: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return value;
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function mergeStrict(base: unknown, input: unknown, path: string): unknown {
  if (input === undefined) return structuredClone(base);
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(base)) return input;
  if (!isObject(input)) throw new ConfigError(`${path || 'config'} must be an object`);
  const out: Record<string, unknown> = {};
  const b = base as Record<string, unknown>;
  const i = input as Record<string, unknown>;
  for (const key of Object.keys(i)) {
    if (!Object.hasOwn(b, key)) throw new ConfigError(`unknown config key ${path}${key}`);
  }
  for (const key of Object.keys(b)) out[key] = mergeStrict(b[key], i[key], `${path}${key}.`);
  return out;
}
