import { ApiError } from '@mycard/web-kit';
import { describe, expect, it } from 'vitest';
import { declineOutcome } from '../../src/lib/decline.js';

const refused = (code: string) => new ApiError(code, 400, { message: 'raw platform text', requestId: 'rq1' });

describe('declineOutcome ("Don’t add" refused)', () => {
  it('still reports "nothing added" when the binding can never become a card', () => {
    expect(declineOutcome(refused('3002'))).toBe('declined');
    expect(declineOutcome(refused('3007'))).toBe('declined');
  });

  it('does not claim nothing was added when the token was already used', () => {
    expect(declineOutcome(refused('3003'))).toBe('error');
  });

  it('lets the person try again after a network, session or server failure', () => {
    for (const code of ['NETWORK', 'BAD_RESPONSE', '4001', '4029', '9000']) {
      expect(declineOutcome(refused(code)), code).toBe('retry');
    }
    expect(declineOutcome(new Error('boom'))).toBe('retry');
  });
});
