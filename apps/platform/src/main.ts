import { pathToFileURL } from 'node:url';
import type { PlatformApp } from './app.js';
import { ConfigError, type PlatformConfig, type PlatformConfigInput, resolveConfig } from './config.js';
import { onShutdownSignal } from './shutdown-signals.js';

/**
 * The only place that reads the environment: `MYCARD_*` variables → a PlatformConfigInput. Each
 * entry names the variable, the config path it sets, how to parse it and what it means; the same
 * table is documented in docs/configuration.md (a test keeps the two in step).
 */
type Kind = 'string' | 'integer' | 'boolean';
export interface EnvVariable {
  name: string;
  path: string;
  kind: Kind;
  description: string;
}

export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'MYCARD_ENV', path: 'mode', kind: 'string', description: 'development | production' },
  { name: 'MYCARD_PORT', path: 'port', kind: 'integer', description: 'TCP port' },
  { name: 'MYCARD_HOST', path: 'host', kind: 'string', description: 'interface to listen on' },
  {
    name: 'MYCARD_PUBLIC_URL',
    path: 'publicUrl',
    kind: 'string',
    description: 'public origin; iss of binding tokens',
  },
  {
    name: 'MYCARD_DATA_DIR',
    path: 'dataDir',
    kind: 'string',
    description: 'SQLite database, dev keys and secrets',
  },
  {
    name: 'MYCARD_DATABASE_URL',
    path: 'databaseUrl',
    kind: 'string',
    description: 'postgres://… (empty: SQLite)',
  },
  { name: 'MYCARD_IDENTITY', path: 'identity', kind: 'string', description: 'dev | line' },
  { name: 'MYCARD_LINE_LIFF_ID', path: 'line.liffId', kind: 'string', description: 'LIFF id of the wallet' },
  {
    name: 'MYCARD_LINE_CHANNEL_ID',
    path: 'line.channelId',
    kind: 'string',
    description: 'LINE Login channel id (aud)',
  },
  { name: 'MYCARD_LINE_JWKS_URL', path: 'line.jwksUrl', kind: 'string', description: 'LINE ID-token keys' },
  { name: 'MYCARD_LINE_ISSUER', path: 'line.issuer', kind: 'string', description: 'iss of LIFF ID tokens' },
  {
    name: 'MYCARD_MASTER_KEY',
    path: 'masterKey',
    kind: 'string',
    description: 'base64 32-byte AES-256-GCM key',
  },
  {
    name: 'MYCARD_SIGNING_KEYS_FILE',
    path: 'signingKeysFile',
    kind: 'string',
    description: 'ES256 keys JSON file',
  },
  { name: 'MYCARD_LOG_LEVEL', path: 'logLevel', kind: 'string', description: 'pino level' },
  {
    name: 'MYCARD_BINDING_TTL',
    path: 'bindingTtl',
    kind: 'integer',
    description: 'binding token lifetime (s)',
  },
  {
    name: 'MYCARD_COMPLETION_TTL',
    path: 'completionTtl',
    kind: 'integer',
    description: 'completion token lifetime (s)',
  },
  {
    name: 'MYCARD_WALLET_SESSION_TTL',
    path: 'walletSessionTtl',
    kind: 'integer',
    description: 'wallet session (s)',
  },
  {
    name: 'MYCARD_CONSOLE_SESSION_TTL',
    path: 'consoleSessionTtl',
    kind: 'integer',
    description: 'console session (s)',
  },
  {
    name: 'MYCARD_SECRET_OVERLAP',
    path: 'secretOverlap',
    kind: 'integer',
    description: 'old channel secret overlap (s)',
  },
  {
    name: 'MYCARD_NONCE_RETENTION',
    path: 'nonceRetention',
    kind: 'integer',
    description: 'nonce retention (s)',
  },
  {
    name: 'MYCARD_WEBHOOK_POLL_MS',
    path: 'webhookPollMs',
    kind: 'integer',
    description: 'webhook worker poll (ms)',
  },
  {
    name: 'MYCARD_CONSOLE_SIGNUP',
    path: 'consoleSignup',
    kind: 'boolean',
    description: 'open console sign-up in production',
  },
  {
    name: 'MYCARD_PROGRAM_REVIEW',
    path: 'programReview',
    kind: 'string',
    description: 'required | off (default: required in production, off in development)',
  },
  {
    name: 'MYCARD_SMTP_URL',
    path: 'smtpUrl',
    kind: 'string',
    description: 'smtp(s):// URL: review decisions are e-mailed too',
  },
  { name: 'MYCARD_MAIL_FROM', path: 'mailFrom', kind: 'string', description: 'From address of e-mails' },
  {
    name: 'MYCARD_METRICS_TOKEN',
    path: 'metricsToken',
    kind: 'string',
    description: 'bearer token for /metrics',
  },
  {
    name: 'MYCARD_REDIS_URL',
    path: 'redisUrl',
    kind: 'string',
    description: 'redis:// URL: rate limits and lockouts shared by all instances',
  },
  {
    name: 'MYCARD_REDIS_KEY_PREFIX',
    path: 'redisKeyPrefix',
    kind: 'string',
    description: 'prefix of every Redis key',
  },
  {
    name: 'MYCARD_RATE_LIMITS',
    path: 'rateLimitStore',
    kind: 'string',
    description: 'auto | local (memory counters, one instance)',
  },
  {
    name: 'MYCARD_TRUSTED_PROXIES',
    path: 'trustedProxies',
    kind: 'string',
    description: 'IPs/CIDRs whose X-Forwarded-For is trusted',
  },
  {
    name: 'MYCARD_WEBHOOK_ALLOW_PRIVATE',
    path: 'webhookAllowPrivate',
    kind: 'boolean',
    description: 'allow webhooks to loopback/private addresses and http',
  },
  {
    name: 'MYCARD_RATE_RESERVE_PER_MINUTE',
    path: 'rateLimits.reservePerMinute',
    kind: 'integer',
    description: 'reserves per user per minute',
  },
  {
    name: 'MYCARD_RATE_SESSION_PER_MINUTE',
    path: 'rateLimits.sessionPerMinute',
    kind: 'integer',
    description: 'sessions per IP per minute',
  },
  {
    name: 'MYCARD_RATE_SIGNATURE_FAILURES_PER_MINUTE',
    path: 'rateLimits.signatureFailuresPerMinute',
    kind: 'integer',
    description: 'failed signatures per channel per minute',
  },
  {
    name: 'MYCARD_RATE_CONSOLE_LOGIN_FAILURES',
    path: 'rateLimits.consoleLoginFailures',
    kind: 'integer',
    description: 'console sign-in failures per e-mail per 15 min',
  },
  {
    name: 'MYCARD_RATE_ONE_TIME_KEY_FAILURES_PER_MINUTE',
    path: 'rateLimits.oneTimeKeyFailuresPerMinute',
    kind: 'integer',
    description: 'failed one-time-key lookups per channel per minute',
  },
  {
    name: 'MYCARD_RATE_REPORTS_PER_DAY',
    path: 'rateLimits.reportsPerDay',
    kind: 'integer',
    description: 'card reports per wallet user per 24 h',
  },
];

/** Variables with the MYCARD_ prefix that are read elsewhere (tests) and not configuration. */
// Variables of the test runner, the browser suite, and the reference merchant (read by its own
// entry point; `mycard start` passes them through) are not the platform's.
const IGNORED_PREFIXES = ['MYCARD_TEST_', 'MYCARD_E2E', 'MYCARD_MERCHANT_', 'MYCARD_PLATFORM_URL'];

function parse(variable: EnvVariable, raw: string): string | number | boolean {
  if (variable.kind === 'string') return raw;
  if (variable.kind === 'integer') {
    if (!/^[0-9]+$/.test(raw))
      throw new ConfigError(`${variable.name} must be a non-negative integer, got "${raw}"`);
    return Number(raw);
  }
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${variable.name} must be true or false, got "${raw}"`);
}

/**
 * Builds the config input from `env`. Empty variables count as unset. Unknown `MYCARD_*`
 * variables are returned as warnings (a typo must not go unnoticed, but the merchant system and
 * other tools share the prefix).
 */
export function configFromEnv(env: NodeJS.ProcessEnv): { input: PlatformConfigInput; warnings: string[] } {
  const input: Record<string, unknown> = {};
  for (const variable of ENV_VARIABLES) {
    const raw = env[variable.name];
    if (raw === undefined || raw === '') continue;
    const keys = variable.path.split('.');
    let target = input;
    for (const key of keys.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    const leaf = keys.at(-1) ?? variable.path;
    target[leaf] = parse(variable, raw);
  }
  const known = new Set(ENV_VARIABLES.map((v) => v.name));
  const warnings = Object.keys(env)
    .filter((k) => k.startsWith('MYCARD_') && !known.has(k) && !IGNORED_PREFIXES.some((p) => k.startsWith(p)))
    .map((k) => `unknown environment variable ${k} (ignored)`);
  return { input: input as PlatformConfigInput, warnings };
}

/** The environment's configuration, resolved and checked; throws ConfigError with a clear message. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void = () => {},
): PlatformConfig {
  const { input, warnings } = configFromEnv(env);
  for (const w of warnings) warn(w);
  return resolveConfig(input);
}

export interface RunningPlatform {
  platform: PlatformApp;
  url: string;
  /** Resolves once the server has closed (after `close()`). */
  closed: Promise<void>;
  /** Stops accepting connections, lets in-flight requests finish, stops the workers, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the platform: builds the app and listens on host:port. It does not listen for signals:
 * the process's entry point owns them (`onShutdownSignal`), so a launcher running more than one
 * server decides the order they stop in.
 */
export async function runPlatform(config: PlatformConfig): Promise<RunningPlatform> {
  // Loaded here, not at the top: the CLI reads configuration without loading the whole server.
  const { createPlatformApp } = await import('./app.js');
  const platform = await createPlatformApp(config);
  try {
    await platform.app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await platform.close();
    throw err;
  }
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= platform
      .close()
      .catch((err: unknown) => platform.app.log.error({ err }, 'error while closing'))
      .finally(resolveClosed);
    return closing;
  };
  return { platform, url: config.publicUrl, closed, close };
}

// `node apps/platform/dist/main.js` (or, in development, `tsx --conditions=@mycard/source
// apps/platform/src/main.ts`) runs the platform alone; `mycard platform` is the usual way.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const running = await runPlatform(loadConfig(process.env, (m) => console.warn(`mycard: ${m}`)));
    onShutdownSignal(() => running.close());
    await running.closed;
  } catch (err) {
    console.error(
      `mycard: ${err instanceof ConfigError ? `configuration error: ${err.message}` : String(err)}`,
    );
    process.exit(1);
  }
}
