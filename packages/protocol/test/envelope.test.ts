import { describe, expect, it } from 'vitest';
import {
  errorEnvelope,
  httpStatusOf,
  RETURN_CODES,
  SignatureError,
  successEnvelope,
  TokenInvalidError,
  toErrorEnvelope,
} from '../src/index.js';

describe('envelopes', () => {
  it('wraps success in the 0000 envelope', () => {
    expect(successEnvelope({ bindingId: 'b' })).toEqual({
      returnCode: '0000',
      returnMessage: 'Success.',
      info: { bindingId: 'b' },
    });
  });

  it('builds an error envelope without info', () => {
    const envelope = errorEnvelope('3004');
    expect(envelope).toEqual({ returnCode: '3004', returnMessage: RETURN_CODES['3004'].message });
    expect(envelope).not.toHaveProperty('info');
    expect(errorEnvelope('2101', 'membershipCode: too long').returnMessage).toBe('membershipCode: too long');
  });

  it('turns errors into envelopes without leaking detail', () => {
    const fromSignature = toErrorEnvelope(new SignatureError('nonce_missing', 'the nonce header is missing'));
    expect(fromSignature).toEqual({ status: 401, envelope: errorEnvelope('1106') });
    expect(toErrorEnvelope(new TokenInvalidError('kid_unknown'))).toEqual({
      status: 400,
      envelope: errorEnvelope('3001'),
    });
    const internal = toErrorEnvelope(new Error('SQLITE_BUSY: database is locked'));
    expect(internal).toEqual({ status: 500, envelope: errorEnvelope('9000') });
    expect(httpStatusOf('9000')).toBe(500);
  });
});
