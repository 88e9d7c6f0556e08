import { CODE_TYPES, isValidMembershipCode } from '@mycard/protocol';
import { describe, expect, it } from 'vitest';
import { CODE_TYPE_INFO } from '../src/lib/code-types.js';

describe('code types', () => {
  it('are the protocol’s nine, in its order', () => {
    expect(Object.keys(CODE_TYPE_INFO)).toEqual(CODE_TYPES);
  });

  it.each(CODE_TYPES)('%s has a valid sample membership code', (type) => {
    expect(isValidMembershipCode(type, CODE_TYPE_INFO[type].sample)).toBe(true);
  });
});
