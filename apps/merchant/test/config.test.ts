import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configKeys, describeAllowed } from '@mycard/config';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_MERCHANT_CONFIG,
  type MerchantConfigInput,
  MerchantConfigSchema,
  resolveMerchantConfig,
} from '../src/config.js';
import { configFromEnv } from '../src/main.js';

function problemsOf(input: MerchantConfigInput): readonly string[] {
  try {
    resolveMerchantConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('merchant config', () => {
  it('has the documented defaults', () => {
    const c = resolveMerchantConfig();
    expect(c).toEqual({
      ...DEFAULT_MERCHANT_CONFIG,
      publicUrl: 'http://localhost:4000',
      issuer: 'http://localhost:3000',
      jwksUrl: 'http://localhost:3000/.well-known/jwks.json',
    });
    expect(c).toMatchObject({
      port: 4000,
      dataDir: './data/merchant',
      brand: { name: 'Demo Mart', colors: { background: '#0f766e', foreground: '#ffffff' } },
      codeType: 'EAN13',
      earning: { amountPerStep: 100, pointsPerStep: 1 },
      sync: { pollMs: 1000, baseDelayMs: 1000, maxDelayMs: 60_000 },
      tiers: { windowMonths: 12, levels: [] },
      points: { expiryMonths: 12, expiryNoticeDays: 14 },
    });
  });

  it('rejects unknown keys with the nearest known key', () => {
    expect(() => resolveMerchantConfig({ prot: 1 } as never)).toThrow(
      'unknown config key prot (did you mean port?)',
    );
    expect(() => resolveMerchantConfig({ brand: { colour: 'x' } } as never)).toThrow(
      /unknown config key brand.colour/,
    );
  });

  it('rejects impossible values, naming the variable, the problem and the allowed range', () => {
    expect(problemsOf({ port: 70000 })).toEqual([
      'MYCARD_MERCHANT_PORT (port) = 70000: above the maximum; allowed: an integer from 0 to 65535',
    ]);
    expect(problemsOf({ earning: { amountPerStep: 0 } })).toEqual([
      'MYCARD_MERCHANT_EARN_AMOUNT (earning.amountPerStep) = 0: below the minimum; allowed: an integer from 1 to 1000000000',
    ]);
    expect(problemsOf({ logLevel: 'verbose' as never })).toEqual([
      'MYCARD_MERCHANT_LOG_LEVEL (logLevel) = "verbose": not an allowed value; allowed: one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(problemsOf({ memberSessionTtl: -60 })).toEqual([
      'memberSessionTtl = -60: below the minimum; allowed: an integer from 300 to 31536000 seconds',
    ]);
    expect(problemsOf({ channelId: '123' })[0]).toMatch(
      /^MYCARD_MERCHANT_CHANNEL_ID \(channelId\) = "123": malformed/,
    );
    expect(problemsOf({ databaseUrl: 'mysql://x' })[0]).toMatch(/MYCARD_MERCHANT_DATABASE_URL.*\(hidden/);
    expect(problemsOf({ brand: { colors: { background: 'red' } } })).toEqual([
      'MYCARD_MERCHANT_BRAND_BG (brand.colors.background) = "red": malformed; allowed: a #rrggbb colour',
    ]);
    expect(problemsOf({ sessionSecret: 'short' })).toEqual([
      'MYCARD_MERCHANT_SESSION_SECRET (sessionSecret) = (hidden, 5 characters): malformed; allowed: at least 32 characters (empty: generated in development)',
    ]);
    expect(problemsOf({ sync: { baseDelayMs: 10, maxDelayMs: 5 } })).toEqual([
      'sync.baseDelayMs (10) must not exceed sync.maxDelayMs (5)',
    ]);
    expect(
      problemsOf({
        tiers: {
          levels: [
            { name: 'Gold', minSpend: 100 },
            { name: 'Silver', minSpend: 50 },
          ],
        },
      }),
    ).toEqual(["tiers.levels[1].minSpend must be above tiers.levels[0]'s: tiers ascend"]);
    expect(problemsOf({ tiers: { levels: [{ name: 'x'.repeat(33), minSpend: 0 }] } })).toHaveLength(1);
  });

  it('refuses production without https or a session secret (no default secrets in production)', () => {
    expect(problemsOf({ mode: 'production', publicUrl: 'http://shop.example' })).toEqual([
      'MYCARD_MERCHANT_PUBLIC_URL (publicUrl) must be https in production mode',
      'MYCARD_MERCHANT_SESSION_SECRET (sessionSecret) is missing; production mode needs one (at least 32 characters)',
    ]);
    expect(
      resolveMerchantConfig({
        mode: 'production',
        publicUrl: 'https://shop.example/',
        sessionSecret: 's'.repeat(32),
      }).publicUrl,
    ).toBe('https://shop.example');
  });

  it("refuses the tests' password cost in production; development takes it", () => {
    const production = {
      mode: 'production' as const,
      publicUrl: 'https://shop.example',
      sessionSecret: 's'.repeat(32),
    };
    expect(problemsOf({ ...production, passwordCost: 'test' })).toEqual([
      'MYCARD_MERCHANT_PASSWORD_COST (passwordCost) = "test" is only for automated tests; production mode needs: standard',
    ]);
    expect(resolveMerchantConfig({ passwordCost: 'test' }).passwordCost).toBe('test');
    expect(resolveMerchantConfig({}).passwordCost).toBe('standard');
  });

  it('reads the environment in main.ts only, strictly, and warns about unknown MYCARD_MERCHANT_ names', () => {
    const warnings: string[] = [];
    expect(
      configFromEnv(
        {
          MYCARD_MERCHANT_PORT: '4100',
          MYCARD_MERCHANT_DATA_DIR: '/tmp/x',
          MYCARD_PLATFORM_URL: 'http://127.0.0.1:3000',
          MYCARD_MERCHANT_EARN_AMOUNT: '50',
          MYCARD_MERCHANT_BRAND_NAME: 'Corner Shop',
          MYCARD_MERCHANT_TRUST_PROXY: '1',
          MYCARD_MERCHANT_DEMO: '1',
          MYCARD_MERCHANT_PROT: '1',
          MYCARD_PORT: '3000',
        },
        (m) => warnings.push(m),
      ),
    ).toEqual({
      port: 4100,
      dataDir: '/tmp/x',
      platformUrl: 'http://127.0.0.1:3000',
      earning: { amountPerStep: 50 },
      brand: { name: 'Corner Shop' },
      trustProxy: true,
    });
    expect(warnings).toEqual([
      'unknown environment variable MYCARD_MERCHANT_PROT (ignored; did you mean MYCARD_MERCHANT_PORT?)',
    ]);
    expect(() => configFromEnv({ MYCARD_MERCHANT_PORT: '40 00' })).toThrow(
      'MYCARD_MERCHANT_PORT (port) = "40 00": not an integer; allowed: an integer from 0 to 65535',
    );
    expect(() => configFromEnv({ MYCARD_MERCHANT_TRUST_PROXY: 'yes' })).toThrow(ConfigError);
  });

  it('every key is documented in docs/merchant.md with its variable and allowed range', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../../docs/merchant.md', import.meta.url)), 'utf8');
    const keys = configKeys(MerchantConfigSchema);
    expect(keys.length).toBeGreaterThan(25);
    for (const key of keys) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${key.path}\` |`));
      expect(row, key.path).toBeDefined();
      expect(row).toContain(`| ${key.schema.env ? `\`${key.schema.env}\`` : '—'} |`);
      expect(row).toContain(`| ${describeAllowed(key.schema).replaceAll('|', '\\|')} |`);
    }
  });
});
