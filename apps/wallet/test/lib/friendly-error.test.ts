import { ApiError } from '@mycard/web-kit';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { friendlyError } from '../../src/lib/friendly-error.js';

describe('friendly errors', () => {
  it('gives the binding flow refusals their own sentences and a support reference', () => {
    const cases: [string, keyof typeof en][] = [
      ['3002', 'error.expired'],
      ['3006', 'error.alreadyHeld'],
      ['3007', 'error.otherAccount'],
      ['4001', 'error.session'],
      ['4029', 'error.rateLimited'],
      ['NETWORK', 'error.network'],
    ];
    for (const [code, key] of cases) {
      const friendly = friendlyError(
        new ApiError(code, 400, { message: 'raw platform text', requestId: 'rq1' }),
      );
      expect(friendly.messageKey, code).toBe(key);
      expect(friendly.supportReference).toBe(`${code}-rq1`);
    }
  });

  it('never shows the raw code or platform message as the sentence', () => {
    const friendly = friendlyError(new ApiError('9000', 500, { message: 'Internal error.' }));
    expect(friendly.messageKey).toBe('error.generic');
    expect(en[friendly.messageKey]).not.toMatch(/9000|Internal error/);
    expect(friendlyError(new Error('boom'))).toEqual({ messageKey: 'error.generic' });
  });
});
