import type { SchemaNode } from './config-keys.js';

/**
 * What a config key allows, in words, from its schema: `an integer from 60 to 600 seconds`,
 * `one of development, production`. The same words appear in start-up messages and, checked by
 * the apps' docs tests, in docs/configuration.md and docs/merchant.md.
 */
export function describeAllowed(node: SchemaNode): string {
  if (node.allowed) return node.allowed;
  const unit = node.unit ? ` ${node.unit}` : '';
  const choices = node.enum ?? node.anyOf?.map((n) => n.const);
  if (choices) return `one of ${choices.map(String).join(', ')}`;
  if (node.type === 'integer' || node.type === 'number') {
    const what = node.type === 'integer' ? 'an integer' : 'a number';
    if (node.minimum !== undefined && node.maximum !== undefined) {
      return `${what} from ${node.minimum} to ${node.maximum}${unit}`;
    }
    if (node.minimum !== undefined) return `${what} ≥ ${node.minimum}${unit}`;
    if (node.maximum !== undefined) return `${what} ≤ ${node.maximum}${unit}`;
    return `${what}${unit}`;
  }
  if (node.type === 'boolean') return 'true or false';
  if (node.type === 'string') {
    if (node.minLength === 1 && node.maxLength === undefined) return 'a non-empty string';
    if (node.minLength !== undefined && node.maxLength !== undefined) {
      return `${node.minLength}–${node.maxLength} characters`;
    }
    if (node.minLength !== undefined) return `at least ${node.minLength} characters`;
    if (node.maxLength !== undefined) return `at most ${node.maxLength} characters`;
    return 'a string';
  }
  if (node.type === 'object') return 'an object';
  if (node.type === 'array') return 'a list';
  return node.type ? `a value of type ${node.type}` : 'a valid value';
}
