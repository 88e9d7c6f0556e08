import { RETURN_CODES } from '@mycard/protocol';
import { BINDING_STATES } from '@mycard/wire';
import { describe, expect, it } from 'vitest';
import { fail } from '../../src/http/errors.js';
import { REFUSAL_REASONS, stateReason, urlReason } from '../../src/http/refusal-reasons.js';

describe('refusal reasons: a closed set next to the return codes', () => {
  it('lists reasons only under error codes of the registry, each once, in snake_case', () => {
    for (const [code, reasons] of Object.entries(REFUSAL_REASONS)) {
      expect(Object.hasOwn(RETURN_CODES, code) && code !== '0000', code).toBe(true);
      expect(new Set(reasons).size, code).toBe(reasons.length);
      for (const reason of reasons) expect(reason, code).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('covers every binding state for the 3004 state reasons, and every URL problem for 2101', () => {
    const conflicts: readonly string[] = REFUSAL_REASONS['3004'];
    for (const state of BINDING_STATES) {
      expect(conflicts).toContain(stateReason('binding', state));
      expect(conflicts).toContain(stateReason('card', state));
    }
    expect(stateReason('binding', 'APPLIED')).toBe('binding_applied');
    const params: readonly string[] = REFUSAL_REASONS['2101'];
    for (const problem of ['characters', 'syntax', 'scheme', 'credentials'] as const) {
      expect(params).toContain(urlReason(problem));
    }
  });

  it('fail() carries the reason as the error code and the registry status', () => {
    const err = fail('3004', 'code_type_locked');
    expect(err).toMatchObject({ returnCode: '3004', code: 'code_type_locked', status: 409 });
    // @ts-expect-error a reason of another code does not compile (3003's reason under 3004)
    fail('3004', 'binding_unknown');
    // @ts-expect-error nor does a reason outside the set
    fail('4001', 'whatever');
  });
});
