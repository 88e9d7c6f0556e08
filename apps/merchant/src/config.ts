/**
 * The merchant system's configuration: one TypeBox schema. Each key is declared once, here — its
 * type, range or choices, its default (with the unit), the `MYCARD_MERCHANT_*` variable that sets
 * it (if any) and what it means; the TypeScript type, `DEFAULT_MERCHANT_CONFIG`, the environment
 * reader (`main.ts`) and the start-up messages derive from it. Adding a key is one entry below
 * (plus its row in docs/merchant.md, which a test checks). Only `main.ts` reads the environment.
 */
import { type ConfigRule, defaultsOf, isUrl, keyLabel, parseConfig } from '@mycard/config';
import { CODE_TYPES } from '@mycard/protocol';
import Type, { type Static } from 'typebox';

export { ConfigError } from '@mycard/config';

export type RunMode = 'development' | 'production';
export const LOCALES = ['zh-TW', 'en', 'ja', 'th'] as const;
export type Locale = (typeof LOCALES)[number];

const DAY = 24 * 3600;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Points and amounts live in 32-bit integer columns on both dialects. */
const MAX_UNITS = 1_000_000_000;
const HTTP_URL = '^https?://[^\\s]+$';
const optionalUrl = (env: string, allowed: string) =>
  Type.String({ pattern: `^$|${HTTP_URL}`, env, default: '', allowed });
const color = (env: string, fallback: string) =>
  Type.String({ pattern: '^#[0-9a-fA-F]{6}$', env, default: fallback, allowed: 'a #rrggbb colour' });
const units = (fallback: number, env?: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_UNITS, default: fallback, ...(env ? { env } : {}) });

export const EarningRuleSchema = Type.Object(
  {
    /** Currency amount (in the till's unit, e.g. 1 TWD) that earns `pointsPerStep`. */
    amountPerStep: units(100, 'MYCARD_MERCHANT_EARN_AMOUNT'),
    /** Points per full step; partial steps are rounded down. */
    pointsPerStep: units(1, 'MYCARD_MERCHANT_EARN_POINTS'),
  },
  { additionalProperties: false, default: {} },
);

export const TierSchema = Type.Object(
  {
    /** Shown on the wallet card as the level, e.g. "Gold" (the platform takes 1–32 characters). */
    name: Type.String({ minLength: 1, maxLength: 32 }),
    /** Qualifying spend (currency units, purchases minus refunds) in the window needed for this tier. */
    minSpend: Type.Integer({ minimum: 0, maximum: MAX_UNITS }),
  },
  { additionalProperties: false },
);

export const MerchantConfigSchema = Type.Object(
  {
    /** 'development' generates a missing session secret into `dataDir`; 'production' requires it. */
    mode: Type.Enum(['development', 'production'], { env: 'MYCARD_MERCHANT_MODE', default: 'development' }),
    /** Interface to listen on; loopback by default (put a TLS reverse proxy in front). */
    host: Type.String({ minLength: 1, maxLength: 255, env: 'MYCARD_MERCHANT_HOST', default: '127.0.0.1' }),
    /** TCP port (0 = any free port). */
    port: Type.Integer({ minimum: 0, maximum: 65535, env: 'MYCARD_MERCHANT_PORT', default: 4000 }),
    /** The origin members and the wallet reach this site at, no trailing slash. Empty = http://localhost:<port>. */
    publicUrl: optionalUrl(
      'MYCARD_MERCHANT_PUBLIC_URL',
      'an http(s) URL, or empty for http://localhost on the port',
    ),
    /** Folder for the SQLite database, the generated session secret and credentials.json. */
    dataDir: Type.String({ minLength: 1, env: 'MYCARD_MERCHANT_DATA_DIR', default: './data/merchant' }),
    /** `postgres://…` selects PostgreSQL; empty selects SQLite at `<dataDir>/merchant.db`. */
    databaseUrl: Type.String({
      pattern: '^$|^postgres(ql)?://',
      env: 'MYCARD_MERCHANT_DATABASE_URL',
      default: '',
      secret: true,
      allowed: 'a postgres:// URL, or empty for SQLite',
    }),
    /** PostgreSQL schema (search_path); empty = the server default. Tests isolate themselves with it. */
    databaseSchema: Type.String({
      pattern: '^$|^[a-z_][a-z0-9_]{0,62}$',
      env: 'MYCARD_MERCHANT_DATABASE_SCHEMA',
      default: '',
      allowed: 'a lower-case SQL name (a–z, 0–9, _), or empty',
    }),
    /** My Card channel id (10 digits); empty = read from `<dataDir>/credentials.json`. */
    channelId: Type.String({
      pattern: '^$|^[0-9]{10}$',
      env: 'MYCARD_MERCHANT_CHANNEL_ID',
      default: '',
      allowed: '10 digits, or empty for credentials.json',
    }),
    /** My Card channel secret (64 hex); empty = read from `<dataDir>/credentials.json`. */
    channelSecret: Type.String({
      pattern: '^$|^[0-9a-fA-F]{64}$',
      env: 'MYCARD_MERCHANT_CHANNEL_SECRET',
      default: '',
      secret: true,
      allowed: '64 hex digits, or empty for credentials.json',
    }),
    /** The platform's merchant API base URL, e.g. https://mycard.example. */
    platformUrl: Type.String({
      pattern: HTTP_URL,
      env: 'MYCARD_PLATFORM_URL',
      default: 'http://localhost:3000',
      allowed: 'an http(s) URL',
    }),
    /** Expected `iss` of binding tokens (the platform public URL); empty = platformUrl. */
    issuer: optionalUrl('MYCARD_MERCHANT_ISSUER', 'an http(s) URL, or empty for platformUrl'),
    /** Where the platform publishes its ES256 keys; empty = `<issuer>/.well-known/jwks.json`. */
    jwksUrl: optionalUrl(
      'MYCARD_MERCHANT_JWKS_URL',
      'an http(s) URL, or empty for /.well-known/jwks.json of the issuer',
    ),
    /** HMAC key (≥ 32 characters) for cookies and CSRF tokens; generated into dataDir in development. */
    sessionSecret: Type.String({
      pattern: '^$|^[\\s\\S]{32,}$',
      env: 'MYCARD_MERCHANT_SESSION_SECRET',
      default: '',
      secret: true,
      allowed: 'at least 32 characters (empty: generated in development)',
    }),
    brand: Type.Object(
      {
        name: Type.String({
          minLength: 1,
          maxLength: 64,
          env: 'MYCARD_MERCHANT_BRAND_NAME',
          default: 'Demo Mart',
        }),
        /** `#rrggbb` colours of the header and buttons. */
        colors: Type.Object(
          {
            background: color('MYCARD_MERCHANT_BRAND_BG', '#0f766e'),
            foreground: color('MYCARD_MERCHANT_BRAND_FG', '#ffffff'),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Code type of the program (PROTOCOL.md §7); membership codes are generated to fit it. */
    codeType: Type.Enum(CODE_TYPES, { env: 'MYCARD_MERCHANT_CODE_TYPE', default: 'EAN13' }),
    /** Leading digits of generated numeric codes (GS1 prefix 2 = restricted in-store circulation). */
    codePrefix: Type.String({ pattern: '^[0-9]{0,6}$', default: '29', allowed: '0–6 digits' }),
    /** Currency accepted at the till (ISO 4217). Amounts are integers of this currency's till unit. */
    currency: Type.String({
      pattern: '^[A-Z]{3}$',
      env: 'MYCARD_MERCHANT_CURRENCY',
      default: 'TWD',
      allowed: 'an ISO 4217 code (3 capital letters)',
    }),
    /** Default: 1 point per 100 currency units, rounded down. */
    earning: EarningRuleSchema,
    /** Largest amount one accrual or reversal may carry (currency units). */
    maxAmount: units(10_000_000),
    /** Largest number of points one redemption may carry. */
    maxPoints: units(1_000_000),
    /** Tiers by rolling qualifying spend (shown as the card's `level`). */
    tiers: Type.Object(
      {
        /** The rolling window of qualifying spend (calendar months back from now). */
        windowMonths: Type.Integer({
          minimum: 1,
          maximum: 60,
          unit: 'months',
          env: 'MYCARD_MERCHANT_TIER_WINDOW_MONTHS',
          default: 12,
        }),
        /** Lowest first; empty = no level on the wallet card. */
        levels: Type.Array(TierSchema, {
          maxItems: 32,
          default: [],
          allowed: 'up to 32 {name (1–32 characters), minSpend (0–1000000000)}, ascending',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    points: Type.Object(
      {
        /** Earned points expire this many calendar months after the purchase; 0 = never. */
        expiryMonths: Type.Integer({
          minimum: 0,
          maximum: 120,
          unit: 'months',
          env: 'MYCARD_MERCHANT_POINTS_EXPIRY_MONTHS',
          default: 12,
        }),
        /** A card message this many days before a lot expires (once per lot); 0 = none. */
        expiryNoticeDays: Type.Integer({
          minimum: 0,
          maximum: 90,
          unit: 'days',
          env: 'MYCARD_MERCHANT_EXPIRY_NOTICE_DAYS',
          default: 14,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    expiryJob: Type.Object(
      {
        /** Run the daily expiry job from this process (several instances may: one claims each day). */
        schedule: Type.Boolean({ env: 'MYCARD_MERCHANT_EXPIRY_SCHEDULE', default: true }),
        /** The UTC hour from which the day's run is due. */
        hourUtc: Type.Integer({
          minimum: 0,
          maximum: 23,
          env: 'MYCARD_MERCHANT_EXPIRY_HOUR_UTC',
          default: 0,
        }),
        /** How long a claimed run is another instance's before it may take over (seconds; 10 minutes). */
        leaseSeconds: Type.Integer({ minimum: 30, maximum: DAY, unit: 'seconds', default: 600 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Language when neither a cookie nor Accept-Language decides. */
    defaultLocale: Type.Enum(LOCALES, { env: 'MYCARD_MERCHANT_LOCALE', default: 'en' }),
    /** Member session lifetime (seconds; 7 days). */
    memberSessionTtl: Type.Integer({ minimum: 300, maximum: 365 * DAY, unit: 'seconds', default: 7 * DAY }),
    /** POS operator session lifetime (seconds; 12 hours). */
    operatorSessionTtl: Type.Integer({
      minimum: 300,
      maximum: 30 * DAY,
      unit: 'seconds',
      default: 12 * 3600,
    }),
    sync: Type.Object(
      {
        /** Outbox poll interval (milliseconds); 0 disables the background worker (tests drive it). */
        pollMs: Type.Integer({ minimum: 0, maximum: 60_000, unit: 'milliseconds', default: 1000 }),
        /** First retry delay after a failed delivery (milliseconds); doubles per attempt. */
        baseDelayMs: Type.Integer({ minimum: 1, maximum: 3_600_000, unit: 'milliseconds', default: 1000 }),
        /** Cap of the retry delay (milliseconds; 1 minute). */
        maxDelayMs: Type.Integer({ minimum: 1, maximum: 86_400_000, unit: 'milliseconds', default: 60_000 }),
        /**
         * How long a worker holds the profile updates it claimed (milliseconds; 1 minute): with several
         * instances on one database, an instance that dies mid-delivery leaves them this long.
         */
        leaseMs: Type.Integer({ minimum: 1000, maximum: 3_600_000, unit: 'milliseconds', default: 60_000 }),
        /** How long a profile update keeps being retried before it is marked dead (seconds; 7 days). */
        giveUpAfter: Type.Integer({ minimum: 60, maximum: 365 * DAY, unit: 'seconds', default: 7 * DAY }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * scrypt cost of member and till passwords: `standard` (N=2^15, r=8, p=1). `test` (N=2^10)
     * exists for automated test suites only and is refused in production mode.
     */
    passwordCost: Type.Enum(['standard', 'test'], {
      env: 'MYCARD_MERCHANT_PASSWORD_COST',
      default: 'standard',
    }),
    /** Pino log level. */
    logLevel: Type.Enum(LOG_LEVELS, { env: 'MYCARD_MERCHANT_LOG_LEVEL', default: 'info' }),
    /** Trust X-Forwarded-* from a reverse proxy. */
    trustProxy: Type.Boolean({ env: 'MYCARD_MERCHANT_TRUST_PROXY', default: false }),
  },
  { additionalProperties: false },
);

export type MerchantConfig = Static<typeof MerchantConfigSchema>;
export type EarningRule = Static<typeof EarningRuleSchema>;
export type Tier = Static<typeof TierSchema>;

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};
export type MerchantConfigInput = DeepPartial<MerchantConfig>;

/** Every key's default, from the schema (units in the schema's comments). */
export const DEFAULT_MERCHANT_CONFIG: MerchantConfig = defaultsOf(MerchantConfigSchema);

const label = (path: string) => keyLabel(MerchantConfigSchema, path);

/** Rules across keys; each names the keys involved. */
const RULES: readonly ConfigRule<MerchantConfig>[] = [
  // Session and CSRF cookies are only as private as the transport.
  (c) =>
    c.mode === 'production' && !c.publicUrl.startsWith('https:')
      ? `${label('publicUrl')} must be https in production mode`
      : undefined,
  (c) =>
    c.mode === 'production' && c.passwordCost !== 'standard'
      ? `${label('passwordCost')} = "${c.passwordCost}" is only for automated tests; production mode needs: standard`
      : undefined,
  // No default secrets in production: development generates one into the data folder.
  (c) =>
    c.mode === 'production' && !c.sessionSecret
      ? `${label('sessionSecret')} is missing; production mode needs one (at least 32 characters)`
      : undefined,
  (c) =>
    c.sync.baseDelayMs > c.sync.maxDelayMs
      ? `sync.baseDelayMs (${c.sync.baseDelayMs}) must not exceed sync.maxDelayMs (${c.sync.maxDelayMs})`
      : undefined,
  (c) => {
    const levels = c.tiers.levels;
    const i = levels.findIndex((l, n) => {
      const below = levels[n - 1];
      return below !== undefined && l.minSpend <= below.minSpend;
    });
    return i > 0
      ? `tiers.levels[${i}].minSpend must be above tiers.levels[${i - 1}]'s: tiers ascend`
      : undefined;
  },
  ...(['publicUrl', 'platformUrl', 'issuer', 'jwksUrl'] as const).map(
    (key): ConfigRule<MerchantConfig> =>
      (c) =>
        c[key] && !isUrl(c[key]) ? `${label(key)} = ${JSON.stringify(c[key])}: not a URL` : undefined,
  ),
];

/**
 * Fills the defaults under `input`, rejects unknown keys and every value out of its type, range or
 * choices (one ConfigError naming each), then fills what derives from other settings. Secrets
 * from the data folder are filled later by `loadSecrets`.
 *
 * @example
 * ```ts
 * const config = resolveMerchantConfig({ port: 0, dataDir: '/tmp/shop' });
 * ```
 */
export function resolveMerchantConfig(input: MerchantConfigInput = {}): MerchantConfig {
  const withPublicUrl = {
    ...input,
    publicUrl: input.publicUrl || `http://localhost:${input.port ?? DEFAULT_MERCHANT_CONFIG.port}`,
  };
  const c = parseConfig(MerchantConfigSchema, withPublicUrl, RULES);
  c.publicUrl = stripSlash(c.publicUrl);
  c.platformUrl = stripSlash(c.platformUrl);
  c.issuer = c.issuer ? stripSlash(c.issuer) : c.platformUrl;
  c.jwksUrl ||= `${c.issuer}/.well-known/jwks.json`;
  return c;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
