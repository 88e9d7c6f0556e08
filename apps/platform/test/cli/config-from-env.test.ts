import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config.js';
import { configFromEnv, ENV_VARIABLES, loadConfig } from '../../src/main.js';

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

  it('refuses malformed values with the variable name, warns about unknown MYCARD_ variables', () => {
    expect(() => configFromEnv({ MYCARD_PORT: '80a' })).toThrow(/MYCARD_PORT/);
    expect(() => configFromEnv({ MYCARD_CONSOLE_SIGNUP: 'yes' })).toThrow(ConfigError);
    expect(configFromEnv({ MYCARD_PROT: '1', MYCARD_TEST_DATABASE_URL: 'x' }).warnings).toEqual([
      'unknown environment variable MYCARD_PROT (ignored)',
    ]);
    expect(() => loadConfig({ MYCARD_ENV: 'staging' })).toThrow(/mode must be development or production/);
    expect(() =>
      loadConfig({ MYCARD_ENV: 'production', MYCARD_IDENTITY: 'line', MYCARD_LINE_CHANNEL_ID: '1' }),
    ).toThrow(/MYCARD_MASTER_KEY/);
  });

  it('every variable is documented in docs/configuration.md and points at a real config key', () => {
    const docs = readFileSync(
      fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url)),
      'utf8',
    );
    for (const variable of ENV_VARIABLES) {
      expect(docs, variable.name).toMatch(
        new RegExp(`\\|\\s*\`${variable.name}\`\\s*\\|\\s*\`${variable.path}\`\\s*\\|`),
      );
      const value = variable.kind === 'integer' ? '1' : variable.kind === 'boolean' ? 'false' : 'x';
      // An unknown path would make resolveConfig throw "unknown config key".
      const { input } = configFromEnv({ [variable.name]: value });
      expect(() => resolveConfig(input)).not.toThrow(/unknown config key/);
    }
  });
});
