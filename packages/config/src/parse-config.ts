import type { Static, TObject } from 'typebox';
import { Value } from 'typebox/value';
import { ConfigError } from './config-error.js';
import { keyLabel, nodeAt, type SchemaNode } from './config-keys.js';
import { describeAllowed } from './describe-allowed.js';
import { nearestName } from './nearest-name.js';

/** A rule across keys (production needs a master key…): the problems it finds, one line each. */
export type ConfigRule<T> = (config: T) => string | undefined;

/**
 * Fills the schema's defaults under `input`, refuses unknown keys (with the nearest known key),
 * checks every type, range and enum, then the cross-key `rules`; throws one ConfigError listing
 * every problem, each naming the variable (or key), the value's problem and what is allowed. The
 * input is not modified.
 *
 * @example
 * ```ts
 * const config = parseConfig(PlatformConfigSchema, { bindingTtl: 900 });
 * // ConfigError: MYCARD_BINDING_TTL (bindingTtl) = 900: above the maximum; allowed: an integer from 60 to 600 seconds
 * ```
 */
export function parseConfig<S extends TObject>(
  schema: S,
  input: unknown = {},
  rules: readonly ConfigRule<Static<S>>[] = [],
): Static<S> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError('the configuration must be an object');
  }
  const problems = unknownKeys(schema as SchemaNode, input as Record<string, unknown>, '');
  const value: unknown = Value.Default(schema, structuredClone(input));
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    if (error.keyword === 'additionalProperties' || error.schemaPath.endsWith('/additionalProperties'))
      continue;
    if ([...seen].some((p) => error.instancePath.startsWith(`${p}/`) || p === error.instancePath)) continue;
    seen.add(error.instancePath);
    problems.push(describeProblem(schema, value, error.instancePath, error.keyword));
  }
  if (problems.length === 0) {
    for (const rule of rules) {
      const problem = rule(value as Static<S>);
      if (problem) problems.push(problem);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return value as Static<S>;
}

/** The schema's defaults as a config object (what an empty input resolves to, before rules). */
export function defaultsOf<S extends TObject>(schema: S): Static<S> {
  return Value.Default(schema, {}) as Static<S>;
}

function unknownKeys(node: SchemaNode, input: Record<string, unknown>, prefix: string): string[] {
  const properties = node.properties ?? {};
  return Object.entries(input).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    const child = properties[key];
    if (!child) {
      const near = nearestName(key, Object.keys(properties));
      return [`unknown config key ${path}${near ? ` (did you mean ${prefix}${near}?)` : ''}`];
    }
    if (child.type === 'object' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return unknownKeys(child, value as Record<string, unknown>, `${path}.`);
    }
    return [];
  });
}

const PROBLEMS: Record<string, string> = {
  maximum: 'above the maximum',
  exclusiveMaximum: 'above the maximum',
  minimum: 'below the minimum',
  exclusiveMinimum: 'below the minimum',
  enum: 'not an allowed value',
  const: 'not an allowed value',
  anyOf: 'not an allowed value',
  pattern: 'malformed',
  format: 'malformed',
  minLength: 'too short',
  maxLength: 'too long',
  minItems: 'too few entries',
  maxItems: 'too many entries',
  required: 'missing',
};

function describeProblem(schema: TObject, value: unknown, pointer: string, keyword: string): string {
  const path = pointer.slice(1).replaceAll('/', '.');
  const node: SchemaNode = nodeAt(schema, pointer) ?? {};
  const actual = valueAt(value, pointer);
  const problem =
    node.enum || node.anyOf
      ? 'not an allowed value'
      : keyword === 'type'
        ? `not ${article(node.type ?? 'value')}`
        : (PROBLEMS[keyword] ?? `fails the ${keyword} rule`);
  const label = path === '' ? 'the configuration' : keyLabel(schema, path);
  return `${label} = ${show(node, actual)}: ${problem}; allowed: ${describeAllowed(node)}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function show(node: SchemaNode, value: unknown): string {
  if (node.secret && typeof value === 'string') {
    return `(hidden, ${value.length} character${value.length === 1 ? '' : 's'})`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

function valueAt(value: unknown, pointer: string): unknown {
  let node = value;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
