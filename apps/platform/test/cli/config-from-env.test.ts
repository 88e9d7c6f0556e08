import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configKeys, describeAllowed } from '@mycard/config';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, PlatformConfigSchema, resolveConfig } from '../../src/config.js';
import { configFromEnv, ENV_VARIABLES, loadConfig } from '../../src/main.js';

/** The ConfigError's lines for an environment (fails the test when it is accepted). */
function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

const PRODUCTION = {
  MYCARD_ENV: 'production',
  MYCARD_IDENTITY: 'line',
  MYCARD_LINE_CHANNEL_ID: '1234567890',
  MYCARD_PUBLIC_URL: 'https://mycard.example',
  MYCARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('configuration from the environment', () => {
  it('maps MYCARD_* variables onto the config object', () => {
    const { input, warnings } = configFromEnv({
      MYCARD_ENV: 'development',
      MYCARD_PORT: '8080',
      MYCARD_DATA_DIR: '/tmp/x',
      MYCARD_LINE_CHANNEL_ID: '1234567890',
      MYCARD_CONSOLE_SIGNUP: 'true',
      MYCARD_RATE_CONSOLE_LOGIN_FAILURES: '5',
      MYCARD_PUBLIC_URL: '',
      PATH: '/usr/bin',
    });
    expect(warnings).toEqual([]);
    expect(input).toEqual({
      mode: 'development',
      port: 8080,
      dataDir: '/tmp/x',
      line: { channelId: '1234567890' },
      consoleSignup: true,
      rateLimits: { consoleLoginFailures: 5 },
    });
    const config = resolveConfig(input);
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.signingKeysFile).toBe('/tmp/x/signing-keys.json');
  });

  it('starts on the documented defaults, and on a complete production setup', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      publicUrl: 'http://127.0.0.1:3000',
      signingKeysFile: './data/signing-keys.json',
      programReview: 'off',
    });
    expect(config).toMatchObject({
      mode: 'development',
      port: 3000,
      bindingTtl: 600,
      completionTtl: 600,
      logLevel: 'info',
      nonceRetention: 7 * 24 * 3600,
      rateLimits: { reservePerMinute: 20, sessionPerMinute: 30 },
    });
    expect(loadConfig(PRODUCTION)).toMatchObject({
      mode: 'production',
      identity: 'line',
      programReview: 'required',
    });
    expect(loadConfig({ ...PRODUCTION, MYCARD_PROGRAM_REVIEW: 'off' }).programReview).toBe('off');
  });

  it('refuses MYCARD_BINDING_TTL=900: binding tokens live at most 600 s, so every Apply would fail 3001', () => {
    expect(problemsOf({ MYCARD_BINDING_TTL: '900' })).toEqual([
      'MYCARD_BINDING_TTL (bindingTtl) = 900: above the maximum; allowed: an integer from 60 to 600 seconds',
    ]);
    expect(loadConfig({ MYCARD_BINDING_TTL: '600' }).bindingTtl).toBe(600);
  });

  it('refuses an unknown log level, naming the allowed ones', () => {
    expect(problemsOf({ MYCARD_LOG_LEVEL: 'verbose' })).toEqual([
      'MYCARD_LOG_LEVEL (logLevel) = "verbose": not an allowed value; allowed: one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(() => resolveConfig({ logLevel: 'verbose' as never })).toThrow(/logLevel.*not an allowed value/);
  });

  it('refuses negative lifetimes, from the environment and from code', () => {
    for (const name of ['MYCARD_BINDING_TTL', 'MYCARD_COMPLETION_TTL', 'MYCARD_WALLET_SESSION_TTL']) {
      const [problem, ...rest] = problemsOf({ [name]: '-5' });
      expect(rest).toEqual([]);
      expect(problem).toMatch(
        new RegExp(
          `^${name} \\(\\w+\\) = -5: below the minimum; allowed: an integer from \\d+ to \\d+ seconds$`,
        ),
      );
    }
    expect(() => resolveConfig({ consoleSessionTtl: -1 })).toThrow(
      /MYCARD_CONSOLE_SESSION_TTL \(consoleSessionTtl\) = -1: below the minimum/,
    );
  });

  it('refuses zero rate limits', () => {
    expect(problemsOf({ MYCARD_RATE_RESERVE_PER_MINUTE: '0', MYCARD_RATE_SESSION_PER_MINUTE: '0' })).toEqual([
      'MYCARD_RATE_RESERVE_PER_MINUTE (rateLimits.reservePerMinute) = 0: below the minimum; allowed: an integer from 1 to 1000000',
      'MYCARD_RATE_SESSION_PER_MINUTE (rateLimits.sessionPerMinute) = 0: below the minimum; allowed: an integer from 1 to 1000000',
    ]);
    expect(() => resolveConfig({ rateLimits: { consoleLoginFailures: 0 } })).toThrow(ConfigError);
  });

  it('refuses a one-character production master key without echoing it', () => {
    const problems = problemsOf({ ...PRODUCTION, MYCARD_MASTER_KEY: 'k' });
    expect(problems).toEqual([
      'MYCARD_MASTER_KEY (masterKey) = (hidden, 1 character): malformed; allowed: base64 of 32 random bytes (44 characters)',
    ]);
    // 32 bytes of base64 is the only accepted length: 31 and 33 are refused too.
    for (const bytes of [31, 33]) {
      expect(
        problemsOf({ ...PRODUCTION, MYCARD_MASTER_KEY: Buffer.alloc(bytes, 1).toString('base64') }),
      ).toHaveLength(1);
    }
  });

  it('refuses production without its secrets, listing every missing one', () => {
    const problems = problemsOf({ MYCARD_ENV: 'production' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/MYCARD_IDENTITY \(identity\) = "dev" is not allowed in production/);
    expect(problems.join('\n')).toMatch(/MYCARD_MASTER_KEY \(masterKey\) is missing/);
    expect(problems.join('\n')).toMatch(/MYCARD_PUBLIC_URL \(publicUrl\) is missing/);
    expect(problemsOf({ ...PRODUCTION, MYCARD_LINE_CHANNEL_ID: '' })).toEqual([
      'MYCARD_LINE_CHANNEL_ID (line.channelId) is missing; identity=line needs the LINE Login channel id',
    ]);
  });

  it("refuses the tests' password cost in production; development takes it", () => {
    expect(problemsOf({ ...PRODUCTION, MYCARD_PASSWORD_COST: 'test' })).toEqual([
      'MYCARD_PASSWORD_COST (passwordCost) = "test" is only for automated tests; production mode needs: standard',
    ]);
    expect(() => loadConfig({ MYCARD_PASSWORD_COST: 'test' })).not.toThrow();
    expect(problemsOf({ MYCARD_PASSWORD_COST: 'cheap' }).join('\n')).toMatch(/MYCARD_PASSWORD_COST/);
  });

  it('refuses production on PostgreSQL without shared rate limits, and a malformed trusted proxy', () => {
    const onPostgres = { ...PRODUCTION, MYCARD_DATABASE_URL: 'postgres://mycard@db:5432/mycard' };
    expect(problemsOf(onPostgres)).toEqual([
      'MYCARD_REDIS_URL (redisUrl) is missing; production on PostgreSQL needs it for shared rate limits and lockouts (or MYCARD_RATE_LIMITS (rateLimitStore) = "local" for a single instance)',
    ]);
    expect(loadConfig({ ...onPostgres, MYCARD_RATE_LIMITS: 'local' }).rateLimitStore).toBe('local');
    expect(loadConfig({ ...onPostgres, MYCARD_REDIS_URL: 'redis://127.0.0.1:6379/0' }).redisUrl).toMatch(
      /^redis:/,
    );
    expect(problemsOf({ MYCARD_RATE_LIMITS: 'shared' })[0]).toMatch(
      /^MYCARD_RATE_LIMITS \(rateLimitStore\) = "shared": not an allowed value; allowed: one of auto, local$/,
    );
    expect(problemsOf({ MYCARD_TRUSTED_PROXIES: '10.0.0.0/8, 10.0.0.300' })).toEqual([
      'MYCARD_TRUSTED_PROXIES (trustedProxies): "10.0.0.300" is not an IP address or CIDR; allowed: comma-separated IP addresses or CIDRs, or empty',
    ]);
    expect(loadConfig({ MYCARD_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).trustedProxies).toBe('10.0.0.0/8, ::1');
  });

  it('refuses malformed numbers and booleans and unknown modes with the variable name', () => {
    expect(problemsOf({ MYCARD_PORT: '80a', MYCARD_CONSOLE_SIGNUP: 'yes' })).toEqual([
      'MYCARD_PORT (port) = "80a": not an integer; allowed: an integer from 0 to 65535',
      'MYCARD_CONSOLE_SIGNUP (consoleSignup) = "yes": not true/1 or false/0; allowed: true or false',
    ]);
    expect(problemsOf({ MYCARD_ENV: 'staging' })).toEqual([
      'MYCARD_ENV (mode) = "staging": not an allowed value; allowed: one of development, production',
    ]);
    expect(problemsOf({ MYCARD_PORT: '70000' })[0]).toMatch(
      /^MYCARD_PORT \(port\) = 70000: above the maximum/,
    );
    expect(problemsOf({ MYCARD_DATABASE_URL: 'mysql://u:p@db/x' })).toEqual([
      'MYCARD_DATABASE_URL (databaseUrl) = (hidden, 16 characters): malformed; allowed: a postgres:// URL, or empty for SQLite',
    ]);
  });

  it('refuses unknown config keys with the nearest known key', () => {
    expect(() => resolveConfig({ rateLimits: { reservePerMinut: 3 } } as never)).toThrow(
      'unknown config key rateLimits.reservePerMinut (did you mean rateLimits.reservePerMinute?)',
    );
    expect(() => resolveConfig({ prot: 1 } as never)).toThrow(
      /unknown config key prot \(did you mean port\?\)/,
    );
  });

  it('warns about unknown MYCARD_ variables with the nearest known name; ignores the others’ prefixes', () => {
    expect(
      configFromEnv({
        MYCARD_PROT: '1',
        MYCARD_BINDING_TLL: '5',
        MYCARD_SOMETHING_ELSE_ENTIRELY: '1',
        MYCARD_TEST_DATABASE_URL: 'x',
        MYCARD_MERCHANT_PORT: '4000',
        MYCARD_PLATFORM_URL: 'http://127.0.0.1:3000',
      }).warnings,
    ).toEqual([
      'unknown environment variable MYCARD_BINDING_TLL (ignored; did you mean MYCARD_BINDING_TTL?)',
      'unknown environment variable MYCARD_PROT (ignored; did you mean MYCARD_PORT?)',
      'unknown environment variable MYCARD_SOMETHING_ELSE_ENTIRELY (ignored)',
    ]);
    const warned: string[] = [];
    loadConfig({ MYCARD_PROT: '1' }, (m) => warned.push(m));
    expect(warned).toEqual(['unknown environment variable MYCARD_PROT (ignored; did you mean MYCARD_PORT?)']);
  });

  it('every variable is documented in docs/configuration.md with its key and allowed range', () => {
    const docs = readFileSync(
      fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url)),
      'utf8',
    );
    const keys = new Map(configKeys(PlatformConfigSchema).map((k) => [k.path, k.schema]));
    expect(ENV_VARIABLES.length).toBeGreaterThan(20);
    for (const variable of ENV_VARIABLES) {
      const schema = keys.get(variable.path);
      expect(schema, variable.path).toBeDefined();
      const allowed = describeAllowed(schema ?? {}).replaceAll('|', '\\|');
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${variable.name}\` |`));
      expect(row, variable.name).toBeDefined();
      expect(row).toContain(`| \`${variable.path}\` |`);
      expect(row).toContain(`| ${allowed} |`);
    }
  });
});
