import { ConfigError } from './config-error.js';
import { type ConfigKey, envKeys } from './config-keys.js';
import { describeAllowed } from './describe-allowed.js';
import { nearestName } from './nearest-name.js';

export interface ReadEnvOptions {
  /** Variables under this prefix are this app's: an unknown one is warned about. */
  prefix: string;
  /** Prefixes (or whole names) under `prefix` that others read (tests, the other app): no warning. */
  ignore?: readonly string[];
  /** Variables this app reads outside its config (e.g. a demo switch): known, not config. */
  alsoKnown?: readonly string[];
}

export interface EnvInput {
  /** A partial config object: only what the environment sets (empty variables count as unset). */
  input: Record<string, unknown>;
  /** One line per unknown variable under the prefix, with the nearest known name. */
  warnings: string[];
}

/**
 * Reads the variables a config schema names (`env` on its keys) into a partial config object.
 * Numbers must be decimal digits and booleans `true`/`1`/`false`/`0`; anything else throws a
 * ConfigError naming each variable. Ranges and enums are checked later, with the defaults
 * ({@link parseConfig}), so that a value from the environment and one from code meet the same
 * rules.
 *
 * @example
 * ```ts
 * const { input, warnings } = readEnv(PlatformConfigSchema, process.env, { prefix: 'MYCARD_' });
 * ```
 */
export function readEnv(
  schema: object,
  env: Readonly<Record<string, string | undefined>>,
  options: ReadEnvOptions,
): EnvInput {
  const keys = envKeys(schema);
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const raw = env[key.env];
    if (raw === undefined || raw === '') continue;
    const value = parseRaw(key, raw);
    if (value === undefined) {
      const shown = key.schema.secret ? '(hidden)' : JSON.stringify(raw);
      problems.push(
        `${key.env} (${key.path}) = ${shown}: ${expected(key)}; allowed: ${describeAllowed(key.schema)}`,
      );
    } else setPath(input, key.path, value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const known = new Set([...keys.map((k) => k.env), ...(options.alsoKnown ?? [])]);
  const ignore = options.ignore ?? [];
  const warnings = Object.keys(env)
    .filter((name) => name.startsWith(options.prefix) && !known.has(name))
    .filter((name) => !ignore.some((prefix) => name.startsWith(prefix)))
    .sort()
    .map((name) => {
      const near = nearestName(name, known);
      return `unknown environment variable ${name} (ignored${near ? `; did you mean ${near}?` : ''})`;
    });
  return { input, warnings };
}

function parseRaw(key: ConfigKey, raw: string): unknown {
  switch (key.schema.type) {
    case 'integer':
      return /^-?[0-9]+$/.test(raw) ? Number(raw) : undefined;
    case 'number':
      return /^-?[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : undefined;
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : undefined;
    default:
      return raw;
  }
}

function expected(key: ConfigKey): string {
  return key.schema.type === 'boolean'
    ? 'not true/1 or false/0'
    : `not ${key.schema.type === 'integer' ? 'an integer' : 'a number'}`;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  const leaf = parts.pop() ?? path;
  let node = target;
  for (const part of parts) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[leaf] = value;
}
