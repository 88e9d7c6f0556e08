import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defaultsOf,
  describeAllowed,
  envKeys,
  nearestName,
  parseConfig,
  readEnv,
} from '../src/index.js';

const Schema = Type.Object(
  {
    ttl: Type.Integer({ minimum: 1, maximum: 600, unit: 'seconds', env: 'APP_TTL', default: 60 }),
    level: Type.Enum(['info', 'debug'], { env: 'APP_LEVEL', default: 'info' }),
    on: Type.Boolean({ env: 'APP_ON', default: false }),
    key: Type.String({
      pattern: '^$|^[a-z]{8}$',
      secret: true,
      env: 'APP_KEY',
      default: '',
      allowed: '8 letters',
    }),
    limits: Type.Object(
      { perMinute: Type.Integer({ minimum: 1, maximum: 100, env: 'APP_PER_MINUTE', default: 10 }) },
      { additionalProperties: false, default: {} },
    ),
    tags: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  },
  { additionalProperties: false },
);

describe('parseConfig', () => {
  it('fills nested defaults and leaves the input untouched', () => {
    const input = { limits: {} };
    expect(parseConfig(Schema, input)).toEqual({
      ttl: 60,
      level: 'info',
      on: false,
      key: '',
      limits: { perMinute: 10 },
      tags: [],
    });
    expect(input).toEqual({ limits: {} });
    expect(defaultsOf(Schema)).toEqual(parseConfig(Schema, {}));
  });

  it('lists every problem at once, each with the variable, the problem and the allowed values', () => {
    let error: unknown;
    try {
      parseConfig(Schema, {
        ttl: 0,
        level: 'loud',
        limits: { perMinute: 101 },
        tags: [''],
        key: 'secretvalue',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'APP_TTL (ttl) = 0: below the minimum; allowed: an integer from 1 to 600 seconds',
      'APP_LEVEL (level) = "loud": not an allowed value; allowed: one of info, debug',
      'APP_KEY (key) = (hidden, 11 characters): malformed; allowed: 8 letters',
      'APP_PER_MINUTE (limits.perMinute) = 101: above the maximum; allowed: an integer from 1 to 100',
      'tags.0 = "": too short; allowed: a non-empty string',
    ]);
    expect((error as Error).message).toContain('5 problems:');
    expect((error as Error).message).not.toContain('secretvalue');
  });

  it('refuses unknown keys at every level and values of the wrong type', () => {
    expect(() => parseConfig(Schema, { ttll: 1 })).toThrow('unknown config key ttll (did you mean ttl?)');
    expect(() => parseConfig(Schema, { limits: { perMinut: 1 } })).toThrow(
      'unknown config key limits.perMinut (did you mean limits.perMinute?)',
    );
    expect(() => parseConfig(Schema, { limits: 'x' })).toThrow(
      /^limits = "x": not an object; allowed: an object$/,
    );
    expect(() => parseConfig(Schema, { ttl: 1.5 })).toThrow(/APP_TTL \(ttl\) = 1.5: not an integer/);
    expect(() => parseConfig(Schema, [] as never)).toThrow(ConfigError);
  });

  it('runs cross-key rules only on a value that passed the schema', () => {
    const rules = [
      (c: { on: boolean; key: string }) => (c.on && !c.key ? 'APP_KEY is missing with APP_ON' : undefined),
    ];
    expect(() => parseConfig(Schema, { on: true }, rules)).toThrow('APP_KEY is missing with APP_ON');
    expect(() => parseConfig(Schema, { on: true, ttl: -1 }, rules)).toThrow(/^APP_TTL \(ttl\) = -1/);
    expect(parseConfig(Schema, { on: true, key: 'abcdefgh' }, rules).on).toBe(true);
  });
});

describe('readEnv', () => {
  it('reads only the named variables, parses numbers and booleans strictly, treats empty as unset', () => {
    expect(envKeys(Schema).map((k) => k.env)).toEqual([
      'APP_TTL',
      'APP_LEVEL',
      'APP_ON',
      'APP_KEY',
      'APP_PER_MINUTE',
    ]);
    const { input, warnings } = readEnv(
      Schema,
      { APP_TTL: '-5', APP_ON: '1', APP_LEVEL: '', APP_PER_MINUTE: '7', OTHER: 'x' },
      { prefix: 'APP_' },
    );
    expect(warnings).toEqual([]);
    expect(input).toEqual({ ttl: -5, on: true, limits: { perMinute: 7 } });
    expect(() =>
      readEnv(Schema, { APP_TTL: '5s', APP_ON: 'yes', APP_KEY: 'Abc' }, { prefix: 'APP_' }),
    ).toThrow(
      new ConfigError([
        'APP_TTL (ttl) = "5s": not an integer; allowed: an integer from 1 to 600 seconds',
        'APP_ON (on) = "yes": not true/1 or false/0; allowed: true or false',
      ]),
    );
  });

  it('warns about unknown variables under the prefix, with the nearest known name', () => {
    const { warnings } = readEnv(
      Schema,
      { APP_TLL: '1', APP_DEMO: '1', APP_TEST_X: '1', APP_COMPLETELY_DIFFERENT: '1', OTHER_TTL: '1' },
      { prefix: 'APP_', ignore: ['APP_TEST_'], alsoKnown: ['APP_DEMO'] },
    );
    expect(warnings).toEqual([
      'unknown environment variable APP_COMPLETELY_DIFFERENT (ignored)',
      'unknown environment variable APP_TLL (ignored; did you mean APP_TTL?)',
    ]);
  });
});

describe('nearestName and describeAllowed', () => {
  it('suggests a close name (swaps count once) and nothing for a distant one', () => {
    expect(nearestName('MYCARD_PROT', ['MYCARD_PORT', 'MYCARD_HOST'])).toBe('MYCARD_PORT');
    expect(nearestName('MYCARD_BINDING_TTTL', ['MYCARD_BINDING_TTL', 'MYCARD_COMPLETION_TTL'])).toBe(
      'MYCARD_BINDING_TTL',
    );
    expect(nearestName('MYCARD_FOO', ['MYCARD_DATABASE_URL'])).toBeUndefined();
  });

  it('words ranges, choices and lengths', () => {
    expect(describeAllowed({ type: 'integer', minimum: 0 })).toBe('an integer ≥ 0');
    expect(describeAllowed({ type: 'integer', maximum: 5, unit: 'seconds' })).toBe('an integer ≤ 5 seconds');
    expect(describeAllowed({ enum: ['a', 'b'] })).toBe('one of a, b');
    expect(describeAllowed({ type: 'string', minLength: 2, maxLength: 4 })).toBe('2–4 characters');
    expect(describeAllowed({ type: 'boolean' })).toBe('true or false');
  });
});
