/**
 * The platform's configuration: one TypeBox schema. Each key is declared once, here — its type,
 * range or choices, its default (with the unit), the `MYCARD_*` variable that sets it and what it
 * means. The TypeScript type, the defaults object, the environment reader (`main.ts`) and the
 * start-up messages all derive from it, so adding a key is one entry below (plus its row in
 * docs/configuration.md, which a test checks). Only `main.ts` (and the CLI) read the environment;
 * everything else receives a `PlatformConfig`.
 */
import { isIP } from 'node:net';
import { ConfigError, type ConfigRule, defaultsOf, isUrl, keyLabel, parseConfig } from '@mycard/config';
import { BINDING_TOKEN_LIFETIME_SECONDS } from '@mycard/protocol';
import Type, { type Static } from 'typebox';

export { ConfigError };

const DAY = 24 * 3600;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Any http(s) URL (checked further by `new URL`); `''` where the key may be empty. */
const HTTP_URL = '^https?://[^\\s]+$';
const httpUrl = (env: string, fallback: string, description: string) =>
  Type.String({ pattern: HTTP_URL, env, default: fallback, description, allowed: 'an http(s) URL' });
const rate = (env: string, fallback: number, description: string) =>
  Type.Integer({ minimum: 1, maximum: 1_000_000, env, default: fallback, description });

export const PlatformConfigSchema = Type.Object(
  {
    /** 'development' generates missing secrets into `dataDir`; 'production' refuses to start without them. */
    mode: Type.Enum(['development', 'production'], { env: 'MYCARD_ENV', default: 'development' }),
    /** TCP port (0 = any free port). */
    port: Type.Integer({ minimum: 0, maximum: 65535, env: 'MYCARD_PORT', default: 3000 }),
    /** Interface to listen on. Loopback by default; set 0.0.0.0 behind a reverse proxy. */
    host: Type.String({ minLength: 1, maxLength: 255, env: 'MYCARD_HOST', default: '127.0.0.1' }),
    /** The origin wallets and merchants reach the platform at; `iss` of binding tokens. Empty = http://127.0.0.1:<port>. */
    publicUrl: Type.String({
      pattern: `^$|${HTTP_URL}`,
      env: 'MYCARD_PUBLIC_URL',
      default: '',
      allowed: 'an http(s) URL, or empty for http://127.0.0.1 on the port',
    }),
    /** Folder for the SQLite database, generated keys and secrets (development). */
    dataDir: Type.String({ minLength: 1, env: 'MYCARD_DATA_DIR', default: './data' }),
    /** `postgres://…` selects PostgreSQL; empty selects SQLite at `<dataDir>/platform.db`. */
    databaseUrl: Type.String({
      pattern: '^$|^postgres(ql)?://',
      env: 'MYCARD_DATABASE_URL',
      default: '',
      secret: true,
      allowed: 'a postgres:// URL, or empty for SQLite',
    }),
    /** How wallet users sign in: a named demo user (dev) or a LIFF ID token (line). */
    identity: Type.Enum(['dev', 'line'], { env: 'MYCARD_IDENTITY', default: 'dev' }),
    line: Type.Object(
      {
        /** LIFF id for the wallet's `liff.init` (line mode). */
        liffId: Type.String({ maxLength: 64, env: 'MYCARD_LINE_LIFF_ID', default: '' }),
        /** The LINE Login channel id: `aud` of LIFF ID tokens. */
        channelId: Type.String({
          pattern: '^[0-9]*$',
          maxLength: 20,
          env: 'MYCARD_LINE_CHANNEL_ID',
          default: '',
          allowed: 'digits (the LINE Login channel id)',
        }),
        /** Where LINE's ID-token signing keys are published. */
        jwksUrl: httpUrl(
          'MYCARD_LINE_JWKS_URL',
          'https://api.line.me/oauth2/v2.1/certs',
          'LINE ID-token keys',
        ),
        /** Expected `iss` of LIFF ID tokens. */
        issuer: httpUrl('MYCARD_LINE_ISSUER', 'https://access.line.me', 'iss of LIFF ID tokens'),
      },
      { additionalProperties: false, default: {} },
    ),
    /** AES-256-GCM master key (base64 of 32 bytes) for secrets at rest. Empty: generated in development. */
    masterKey: Type.String({
      pattern: '^$|^[A-Za-z0-9+/]{43}=$',
      env: 'MYCARD_MASTER_KEY',
      default: '',
      secret: true,
      allowed: 'base64 of 32 random bytes (44 characters)',
    }),
    /** JSON file holding the ES256 signing keys; empty = `<dataDir>/signing-keys.json`. */
    signingKeysFile: Type.String({
      env: 'MYCARD_SIGNING_KEYS_FILE',
      default: '',
      allowed: 'a file path, or empty for signing-keys.json in dataDir',
    }),
    /** Binding token / reservation lifetime (seconds); binding tokens live at most 600 s (PROTOCOL.md §4). */
    bindingTtl: Type.Integer({
      minimum: 60,
      maximum: BINDING_TOKEN_LIFETIME_SECONDS,
      unit: 'seconds',
      env: 'MYCARD_BINDING_TTL',
      default: 600,
    }),
    /** Completion token lifetime (seconds). */
    completionTtl: Type.Integer({
      minimum: 60,
      maximum: 3600,
      unit: 'seconds',
      env: 'MYCARD_COMPLETION_TTL',
      default: 600,
    }),
    /** Wallet session lifetime (seconds; 7 days, sliding). */
    walletSessionTtl: Type.Integer({
      minimum: 300,
      maximum: 365 * DAY,
      unit: 'seconds',
      env: 'MYCARD_WALLET_SESSION_TTL',
      default: 7 * DAY,
    }),
    /** Console session lifetime (seconds; 12 hours, fixed). */
    consoleSessionTtl: Type.Integer({
      minimum: 300,
      maximum: 30 * DAY,
      unit: 'seconds',
      env: 'MYCARD_CONSOLE_SESSION_TTL',
      default: 12 * 3600,
    }),
    /** How long an old channel secret keeps working after a rotation (seconds; 1 day). */
    secretOverlap: Type.Integer({
      minimum: 0,
      maximum: 30 * DAY,
      unit: 'seconds',
      env: 'MYCARD_SECRET_OVERLAP',
      default: DAY,
    }),
    /** How long merchant nonces are retained (seconds); at least 7 days per PROTOCOL.md §3. */
    nonceRetention: Type.Integer({
      minimum: 7 * DAY,
      maximum: 365 * DAY,
      unit: 'seconds',
      env: 'MYCARD_NONCE_RETENTION',
      default: 7 * DAY,
    }),
    /** Webhook delivery worker poll interval (milliseconds); 0 disables the worker. */
    webhookPollMs: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      unit: 'milliseconds',
      env: 'MYCARD_WEBHOOK_POLL_MS',
      default: 1000,
    }),
    /**
     * Whether `POST /v1/console/signup` is open in production mode. In development mode sign-up is
     * always open; in production operators are created with `mycard operator create` unless this is true.
     */
    consoleSignup: Type.Boolean({ env: 'MYCARD_CONSOLE_SIGNUP', default: false }),
    /**
     * `required`: going live and changes of a LIVE program's name, logo, binding URL or detail page are
     * reviewed by a platform administrator (PROTOCOL.md §7); `off`: they apply at once. Empty = by
     * mode (production `required`, development `off`).
     */
    programReview: Type.Enum(['', 'required', 'off'], {
      env: 'MYCARD_PROGRAM_REVIEW',
      default: '',
      allowed: 'required, off, or empty (by mode)',
    }),
    /**
     * scrypt cost of console passwords: `standard` (N=2^15, r=8, p=3). `test` (N=2^10, p=1) exists
     * for automated test suites only and is refused in production mode.
     */
    passwordCost: Type.Enum(['standard', 'test'], { env: 'MYCARD_PASSWORD_COST', default: 'standard' }),
    /** `smtp://user:pass@host:port` or `smtps://…`: review decisions are also e-mailed. Empty = console only. */
    smtpUrl: Type.String({
      pattern: '^$|^smtps?://',
      env: 'MYCARD_SMTP_URL',
      default: '',
      secret: true,
      allowed: 'an smtp:// or smtps:// URL, or empty',
    }),
    /** The From address of those e-mails. */
    mailFrom: Type.String({
      minLength: 3,
      maxLength: 320,
      env: 'MYCARD_MAIL_FROM',
      default: 'My Card <no-reply@mycard.invalid>',
    }),
    /** When set, `GET /metrics` requires `Authorization: Bearer <metricsToken>`; empty = open. */
    metricsToken: Type.String({ maxLength: 256, env: 'MYCARD_METRICS_TOKEN', default: '', secret: true }),
    /**
     * Redis for rate limits and lockouts shared by every instance (PROTOCOL.md §10), e.g.
     * `redis://127.0.0.1:6379/0`; empty = counters in this process's memory.
     */
    redisUrl: Type.String({
      pattern: '^$|^rediss?://',
      env: 'MYCARD_REDIS_URL',
      default: '',
      secret: true,
      allowed: 'a redis:// or rediss:// URL, or empty for memory',
    }),
    /** Prefix of every Redis key (several deployments can share one Redis). */
    redisKeyPrefix: Type.String({ maxLength: 64, env: 'MYCARD_REDIS_KEY_PREFIX', default: 'mycard:' }),
    /**
     * `auto`: Redis when redisUrl is set, else memory — refused at start in production on
     * PostgreSQL (several instances would each count alone); `local`: memory, explicitly, with a
     * warning at start.
     */
    rateLimitStore: Type.Enum(['auto', 'local'], { env: 'MYCARD_RATE_LIMITS', default: 'auto' }),
    /**
     * Proxies whose `X-Forwarded-For` is trusted: comma-separated IPs or CIDRs (e.g.
     * `10.0.0.0/8,127.0.0.1`); the client address is the rightmost hop not in this list. Empty (the
     * default) trusts no proxy: the address is the TCP peer's.
     */
    trustedProxies: Type.String({
      maxLength: 4096,
      env: 'MYCARD_TRUSTED_PROXIES',
      default: '',
      allowed: 'comma-separated IP addresses or CIDRs, or empty',
    }),
    /**
     * Allow webhook URLs to loopback, private, link-local and unique-local addresses, and plain
     * http (development and tests only; warned about at start). Off: https to public addresses only,
     * checked at registration and at every connection after DNS resolution (PROTOCOL.md §6).
     */
    webhookAllowPrivate: Type.Boolean({ env: 'MYCARD_WEBHOOK_ALLOW_PRIVATE', default: false }),
    /** Pino log level. */
    logLevel: Type.Enum(LOG_LEVELS, { env: 'MYCARD_LOG_LEVEL', default: 'info' }),
    rateLimits: Type.Object(
      {
        /** Binding Reserve calls per wallet user per minute. */
        reservePerMinute: rate('MYCARD_RATE_RESERVE_PER_MINUTE', 20, 'reserves per user per minute'),
        /** Session creations per client IP per minute. */
        sessionPerMinute: rate('MYCARD_RATE_SESSION_PER_MINUTE', 30, 'sessions per IP per minute'),
        /** Failed merchant signatures per channel id per minute before the channel id is refused. */
        signatureFailuresPerMinute: rate(
          'MYCARD_RATE_SIGNATURE_FAILURES_PER_MINUTE',
          20,
          'failed signatures per channel per minute',
        ),
        /** Console sign-in failures per e-mail per 15 minutes. */
        consoleLoginFailures: rate(
          'MYCARD_RATE_CONSOLE_LOGIN_FAILURES',
          10,
          'console sign-in failures per e-mail per 15 min',
        ),
        /** Failed one-time-key lookups (3010/3011) per channel per minute before lookups are refused. */
        oneTimeKeyFailuresPerMinute: rate(
          'MYCARD_RATE_ONE_TIME_KEY_FAILURES_PER_MINUTE',
          60,
          'failed one-time-key lookups per channel per minute',
        ),
        /** "Report this card" submissions per wallet user per 24 hours (counted in the database). */
        reportsPerDay: rate('MYCARD_RATE_REPORTS_PER_DAY', 5, 'card reports per wallet user per 24 h'),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type PlatformConfig = Static<typeof PlatformConfigSchema>;
export type IdentityMode = PlatformConfig['identity'];
export type RunMode = PlatformConfig['mode'];
/** Whether "Go live" and changes of a LIVE program wait for a platform administrator (PROTOCOL.md §7). */
export type ProgramReviewMode = 'required' | 'off';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type PlatformConfigInput = DeepPartial<PlatformConfig>;

/** Every key's default, from the schema (units in the schema's comments). */
export const DEFAULT_CONFIG: PlatformConfig = defaultsOf(PlatformConfigSchema);

const label = (path: string) => keyLabel(PlatformConfigSchema, path);

/** Rules across keys; each names the variables involved. */
const RULES: readonly ConfigRule<PlatformConfig>[] = [
  (c) =>
    c.mode === 'production' && c.identity === 'dev'
      ? `${label('identity')} = "dev" is not allowed in production mode; allowed: line`
      : undefined,
  (c) =>
    c.mode === 'production' && c.passwordCost !== 'standard'
      ? `${label('passwordCost')} = "${c.passwordCost}" is only for automated tests; production mode needs: standard`
      : undefined,
  (c) =>
    c.identity === 'line' && !c.line.channelId
      ? `${label('line.channelId')} is missing; identity=line needs the LINE Login channel id`
      : undefined,
  // No default secrets in production: development generates them into the data folder.
  (c) =>
    c.mode === 'production' && !c.masterKey
      ? `${label('masterKey')} is missing; production mode needs a master key (base64 of 32 random bytes)`
      : undefined,
  (c) =>
    c.mode === 'production' && !c.publicUrl
      ? `${label('publicUrl')} is missing; production mode needs the public https URL`
      : undefined,
  (c) => (c.publicUrl && !isUrl(c.publicUrl) ? `${label('publicUrl')} is not a URL` : undefined),
  // PROTOCOL.md §10: on PostgreSQL several instances are the point; memory counters would give
  // each its own limits and lockouts.
  (c) =>
    c.mode === 'production' && c.databaseUrl && !c.redisUrl && c.rateLimitStore !== 'local'
      ? `${label('redisUrl')} is missing; production on PostgreSQL needs it for shared rate limits and lockouts (or ${label('rateLimitStore')} = "local" for a single instance)`
      : undefined,
  (c) => {
    const bad = proxyEntries(c.trustedProxies).find((entry) => !isIpOrCidr(entry));
    return bad === undefined
      ? undefined
      : `${label('trustedProxies')}: ${JSON.stringify(bad)} is not an IP address or CIDR; allowed: comma-separated IP addresses or CIDRs, or empty`;
  },
];

function proxyEntries(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

function isIpOrCidr(entry: string): boolean {
  const [ip, bits, extra] = entry.split('/');
  if (extra !== undefined || ip === undefined || isIP(ip) === 0) return false;
  return bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128));
}

/**
 * The trusted proxies as a list of IPs / CIDRs, each checked; throws ConfigError on a bad entry
 * (resolveConfig has already refused one at start).
 */
export function parseTrustedProxies(value: string): string[] {
  const entries = proxyEntries(value);
  const bad = entries.find((entry) => !isIpOrCidr(entry));
  if (bad !== undefined) throw new ConfigError(`trustedProxies: not an IP address or CIDR: ${bad}`);
  return entries;
}

/**
 * Fills the defaults under `input`, rejects unknown keys and every value out of its type, range or
 * choices (one ConfigError naming each), then fills what derives from other settings (publicUrl
 * from the port, the keys file from dataDir).
 *
 * @example
 * ```ts
 * resolveConfig({ port: 0, dataDir: '/tmp/mycard' }).bindingTtl; // 600
 * resolveConfig({ bindingTtl: 900 }); // ConfigError: MYCARD_BINDING_TTL (bindingTtl) = 900: above the maximum; …
 * ```
 */
export function resolveConfig(input: PlatformConfigInput = {}): PlatformConfig {
  const config = parseConfig(PlatformConfigSchema, input, RULES);
  config.publicUrl = (config.publicUrl || `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  if (config.programReview === '') config.programReview = config.mode === 'production' ? 'required' : 'off';
  if (!config.signingKeysFile) {
    config.signingKeysFile = `${config.dataDir.replace(/\/+$/, '')}/signing-keys.json`;
  }
  return config;
}
