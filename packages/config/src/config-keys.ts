/**
 * Walks an app's config schema (a TypeBox object schema, i.e. plain JSON Schema) down to its leaf
 * keys. Leaves carry the app's own metadata next to the JSON Schema keywords: the environment
 * variable that sets them, the unit of a number, a wording of what is allowed, whether the value is
 * a secret (never echoed in a message).
 */

/** Metadata a config key may carry beside its JSON Schema keywords (ignored by validation). */
export interface ConfigKeyOptions {
  /** The environment variable that sets this key, e.g. `MYCARD_BINDING_TTL`. */
  env?: string;
  /** Unit of a number, shown after its range: `seconds`, `milliseconds`. */
  unit?: string;
  /** What is allowed, in words, where the keywords say it badly (patterns): `base64 of 32 bytes`. */
  allowed?: string;
  /** A secret: messages show its length, never its value. */
  secret?: boolean;
}

/** The JSON Schema keywords this package reads (TypeBox emits plain JSON Schema). */
export interface SchemaNode extends ConfigKeyOptions {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: readonly unknown[];
  anyOf?: readonly SchemaNode[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  description?: string;
}

export interface ConfigKey {
  /** Dotted path in the config object: `rateLimits.reservePerMinute`. */
  path: string;
  schema: SchemaNode;
}

/** Every leaf key of `schema` (objects with properties are descended into; arrays are leaves). */
export function configKeys(schema: object): ConfigKey[] {
  const out: ConfigKey[] = [];
  const walk = (node: SchemaNode, prefix: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (child.type === 'object' && child.properties) walk(child, path);
      else out.push({ path, schema: child });
    }
  };
  walk(schema as SchemaNode, '');
  return out;
}

/** The keys set by environment variables, with their variable names. */
export function envKeys(schema: object): (ConfigKey & { env: string })[] {
  return configKeys(schema).flatMap((k) => (k.schema.env ? [{ ...k, env: k.schema.env }] : []));
}

/**
 * The schema node at a JSON pointer of a value (`/rateLimits/reservePerMinute`, `/levels/0/name`):
 * object properties by name, array items by any index.
 */
export function nodeAt(schema: object, pointer: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema as SchemaNode;
  for (const part of pointer.split('/').slice(1)) {
    if (node === undefined) return undefined;
    node = node.type === 'array' ? node.items : node.properties?.[part];
  }
  return node;
}

/** A key as people know it: `MYCARD_BINDING_TTL (bindingTtl)`, or the path alone without a variable. */
export function keyLabel(schema: object, path: string): string {
  const env = nodeAt(schema, `/${path.replaceAll('.', '/')}`)?.env;
  return env ? `${env} (${path})` : path;
}
