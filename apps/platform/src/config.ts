/**
 * The platform's configuration: one typed object. Only `main.ts` (and the CLI) read the environment;
 * everything else receives a `PlatformConfig`. Defaults live in `DEFAULT_CONFIG`, units in comments.
 */
import { isIP } from 'node:net';

export type IdentityMode = 'dev' | 'line';
export type RunMode = 'development' | 'production';
/** Whether "Go live" and changes of a LIVE program wait for a platform administrator (PROTOCOL.md §7). */
export type ProgramReviewMode = 'required' | 'off';

export interface PlatformConfig {
  /** 'development' generates missing secrets into `dataDir`; 'production' refuses to start without them. */
  mode: RunMode;
  /** TCP port (0 = any free port). */
  port: number;
  /** Interface to listen on. Loopback by default; set 0.0.0.0 behind a reverse proxy. */
  host: string;
  /** The origin wallets and merchants reach the platform at; `iss` of binding tokens. No trailing slash. */
  publicUrl: string;
  /** Folder for the SQLite database, generated keys and secrets (development). */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; empty selects SQLite at `<dataDir>/platform.db`. */
  databaseUrl: string;
  /** How wallet users sign in: a named demo user (dev) or a LIFF ID token (line). */
  identity: IdentityMode;
  line: {
    /** LIFF id for the wallet's `liff.init` (line mode). */
    liffId: string;
    /** The LINE Login channel id: `aud` of LIFF ID tokens. */
    channelId: string;
    /** Where LINE's ID-token signing keys are published. */
    jwksUrl: string;
    /** Expected `iss` of LIFF ID tokens. */
    issuer: string;
  };
  /** AES-256-GCM master key (base64, 32 bytes) for secrets at rest. Generated in development. */
  masterKey: string;
  /** JSON file holding the ES256 signing keys; default `<dataDir>/signing-keys.json`. */
  signingKeysFile: string;
  /** Binding token / reservation lifetime (seconds). */
  bindingTtl: number;
  /** Completion token lifetime (seconds). */
  completionTtl: number;
  /** Wallet session lifetime (seconds). */
  walletSessionTtl: number;
  /** Console session lifetime (seconds). */
  consoleSessionTtl: number;
  /** How long an old channel secret keeps working after a rotation (seconds). */
  secretOverlap: number;
  /** How long merchant nonces are retained (seconds); at least 7 days per PROTOCOL.md §3. */
  nonceRetention: number;
  /** Webhook delivery worker poll interval (milliseconds); 0 disables the worker. */
  webhookPollMs: number;
  /**
   * Whether `POST /v1/console/signup` is open in production mode. In development mode sign-up is
   * always open; in production operators are created with `mycard operator create` unless this is true.
   */
  consoleSignup: boolean;
  /**
   * `required`: going live and changes of a LIVE program's name, logo, binding URL or detail page are
   * reviewed by a platform administrator; `off`: they apply at once. Empty = by mode (production
   * `required`, development `off`).
   */
  programReview: ProgramReviewMode | '';
  /** `smtp://user:pass@host:port` or `smtps://…`: review decisions are also e-mailed. Empty = console only. */
  smtpUrl: string;
  /** The From address of those e-mails. */
  mailFrom: string;
  /** When set, `GET /metrics` requires `Authorization: Bearer <metricsToken>`; empty = open. */
  metricsToken: string;
  /**
   * Redis for rate limits and lockouts shared by every instance (PROTOCOL.md §10), e.g.
   * `redis://127.0.0.1:6379/0`; empty = counters in this process's memory.
   */
  redisUrl: string;
  /** Prefix of every Redis key (several deployments can share one Redis). */
  redisKeyPrefix: string;
  /**
   * `auto`: Redis when redisUrl is set, else memory — refused at start in production on
   * PostgreSQL (several instances would each count alone); `local`: memory, explicitly, with a
   * warning at start.
   */
  rateLimitStore: 'auto' | 'local';
  /**
   * Proxies whose `X-Forwarded-For` is trusted: comma-separated IPs or CIDRs (e.g.
   * `10.0.0.0/8,127.0.0.1`); the client address is the rightmost hop not in this list. Empty (the
   * default) trusts no proxy: the address is the TCP peer's.
   */
  trustedProxies: string;
  /**
   * Allow webhook URLs to loopback, private, link-local and unique-local addresses, and plain
   * http (development and tests only; warned about at start). Off: https to public addresses only,
   * checked at registration and at every connection after DNS resolution (PROTOCOL.md §6).
   */
  webhookAllowPrivate: boolean;
  /** Pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  rateLimits: {
    /** Binding Reserve calls per wallet user per minute. */
    reservePerMinute: number;
    /** Session creations per client IP per minute. */
    sessionPerMinute: number;
    /** Failed merchant signatures per channel id per minute before the channel id is refused. */
    signatureFailuresPerMinute: number;
    /** Console sign-in failures per e-mail per 15 minutes. */
    consoleLoginFailures: number;
    /** Failed one-time-key lookups (3010/3011) per channel per minute before lookups are refused. */
    oneTimeKeyFailuresPerMinute: number;
    /** "Report this card" submissions per wallet user per 24 hours (counted in the database). */
    reportsPerDay: number;
  };
}

export const DEFAULT_CONFIG: PlatformConfig = {
  mode: 'development',
  port: 3000,
  host: '127.0.0.1',
  publicUrl: '',
  dataDir: './data',
  databaseUrl: '',
  identity: 'dev',
  line: {
    liffId: '',
    channelId: '',
    jwksUrl: 'https://api.line.me/oauth2/v2.1/certs',
    issuer: 'https://access.line.me',
  },
  masterKey: '',
  signingKeysFile: '',
  bindingTtl: 600,
  completionTtl: 600,
  walletSessionTtl: 7 * 24 * 3600,
  consoleSessionTtl: 12 * 3600,
  secretOverlap: 24 * 3600,
  nonceRetention: 7 * 24 * 3600,
  webhookPollMs: 1000,
  consoleSignup: false,
  programReview: '',
  smtpUrl: '',
  mailFrom: 'My Card <no-reply@mycard.invalid>',
  metricsToken: '',
  redisUrl: '',
  redisKeyPrefix: 'mycard:',
  rateLimitStore: 'auto',
  trustedProxies: '',
  webhookAllowPrivate: false,
  logLevel: 'info',
  rateLimits: {
    reservePerMinute: 20,
    sessionPerMinute: 30,
    signatureFailuresPerMinute: 20,
    consoleLoginFailures: 10,
    oneTimeKeyFailuresPerMinute: 60,
    reportsPerDay: 5,
  },
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type PlatformConfigInput = DeepPartial<PlatformConfig>;

/**
 * Merges `input` over the defaults, rejects unknown keys and impossible values, and fills
 * what derives from other settings (publicUrl from the port, the keys file from dataDir).
 */
export function resolveConfig(input: PlatformConfigInput = {}): PlatformConfig {
  const merged = mergeStrict(DEFAULT_CONFIG, input, '') as PlatformConfig;
  if (!Number.isInteger(merged.port) || merged.port < 0 || merged.port > 65535) {
    throw new ConfigError(`port must be an integer 0–65535, got ${merged.port}`);
  }
  if (merged.mode !== 'development' && merged.mode !== 'production') {
    throw new ConfigError(`mode must be development or production, got ${merged.mode}`);
  }
  if (merged.identity !== 'dev' && merged.identity !== 'line') {
    throw new ConfigError(`identity must be dev or line, got ${merged.identity}`);
  }
  if (merged.mode === 'production' && merged.identity === 'dev') {
    throw new ConfigError('identity=dev is not allowed in production mode');
  }
  if (merged.identity === 'line' && !merged.line.channelId) {
    throw new ConfigError('identity=line needs line.channelId (MYCARD_LINE_CHANNEL_ID)');
  }
  if (merged.mode === 'production' && !merged.masterKey) {
    throw new ConfigError('production mode needs a master key (MYCARD_MASTER_KEY)');
  }
  if (merged.mode === 'production' && !merged.publicUrl) {
    throw new ConfigError('production mode needs a public URL (MYCARD_PUBLIC_URL)');
  }
  if (merged.databaseUrl && !/^postgres(ql)?:\/\//.test(merged.databaseUrl)) {
    throw new ConfigError('databaseUrl must be a postgres:// URL (or empty for SQLite)');
  }
  if (merged.redisUrl && !/^rediss?:\/\//.test(merged.redisUrl)) {
    throw new ConfigError('redisUrl must be a redis:// or rediss:// URL (or empty)');
  }
  if (merged.rateLimitStore !== 'auto' && merged.rateLimitStore !== 'local') {
    throw new ConfigError(`rateLimitStore must be auto or local, got ${merged.rateLimitStore}`);
  }
  if (
    merged.mode === 'production' &&
    merged.databaseUrl &&
    !merged.redisUrl &&
    merged.rateLimitStore !== 'local'
  ) {
    // PROTOCOL.md §10: on PostgreSQL several instances are the point; memory counters would give
    // each its own limits and lockouts.
    throw new ConfigError(
      'production on PostgreSQL needs MYCARD_REDIS_URL for shared rate limits and lockouts (or MYCARD_RATE_LIMITS=local for a single instance)',
    );
  }
  parseTrustedProxies(merged.trustedProxies);
  if (merged.nonceRetention < 7 * 24 * 3600) {
    throw new ConfigError('nonceRetention must be at least 7 days (PROTOCOL.md §3)');
  }
  if (merged.programReview === '') merged.programReview = merged.mode === 'production' ? 'required' : 'off';
  if (merged.programReview !== 'required' && merged.programReview !== 'off') {
    throw new ConfigError(`programReview must be required or off, got ${merged.programReview}`);
  }
  if (merged.smtpUrl && !/^smtps?:\/\//.test(merged.smtpUrl)) {
    throw new ConfigError('smtpUrl must be an smtp:// or smtps:// URL (or empty)');
  }
  merged.publicUrl = (merged.publicUrl || `http://127.0.0.1:${merged.port}`).replace(/\/+$/, '');
  try {
    new URL(merged.publicUrl);
  } catch {
    throw new ConfigError(`publicUrl is not a URL: ${merged.publicUrl}`);
  }
  if (!merged.signingKeysFile)
    merged.signingKeysFile = `${merged.dataDir.replace(/\/+$/, '')}/signing-keys.json`;
  return merged;
}

/**
 * The trusted proxies as a list of IPs / CIDRs, each checked; throws ConfigError on a bad entry.
 */
export function parseTrustedProxies(value: string): string[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    const [ip, bits, extra] = entry.split('/');
    const ok =
      extra === undefined &&
      ip !== undefined &&
      isIP(ip) !== 0 &&
      (bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128)));
    if (!ok) throw new ConfigError(`trustedProxies: not an IP address or CIDR: ${entry}`);
  }
  return entries;
}

function mergeStrict(base: unknown, input: unknown, path: string): unknown {
  if (input === undefined) return structuredClone(base);
  if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ConfigError(`${path || 'config'} must be an object`);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(base, key)) throw new ConfigError(`unknown config key: ${path}${key}`);
    }
    for (const [key, value] of Object.entries(base)) {
      out[key] = mergeStrict(value, (input as Record<string, unknown>)[key], `${path}${key}.`);
    }
    return out;
  }
  if (typeof input !== typeof base) {
    throw new ConfigError(`${path.slice(0, -1)} must be a ${typeof base}`);
  }
  return input;
}
