import { isValidMembershipCode, CODE_TYPES as PROTOCOL_CODE_TYPES } from '@mycard/protocol';
import { describe, expect, it } from 'vitest';
import { CODE_TYPE_INFO, CODE_TYPES } from '../src/lib/code-types.js';

describe('code types', () => {
  it('are the protocol’s nine, in its order', () => {
    expect(CODE_TYPES).toEqual(PROTOCOL_CODE_TYPES);
  });

  it.each(CODE_TYPES)('%s has a valid sample membership code', (type) => {
    expect(isValidMembershipCode(type, CODE_TYPE_INFO[type].sample)).toBe(true);
  });
});
