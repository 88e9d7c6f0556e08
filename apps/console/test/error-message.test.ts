import { RETURN_CODES } from '@mycard/protocol';
import { ApiError } from '@mycard/web-kit';
import { describe, expect, it } from 'vitest';
import { createTranslate, LANGUAGES } from '../src/i18n/translate.js';
import { friendlyError, messageKeyOf } from '../src/lib/error-message.js';

describe('friendly errors', () => {
  it.each(LANGUAGES.map((l) => l.code))('never show a raw return code (%s)', (language) => {
    const t = createTranslate(language);
    for (const code of [...Object.keys(RETURN_CODES), 'NETWORK']) {
      const { message, reference } = friendlyError(new ApiError(code, 400, { reference: `REF-${code}` }), t);
      expect(message).not.toContain(code);
      expect(message).not.toMatch(/\{\w+\}/);
      expect(reference).toBe(`REF-${code}`);
    }
  });

  it('maps codes to messages, with screen overrides', () => {
    expect(messageKeyOf(new ApiError('4001', 401, { reference: 'r' })).key).toBe('error.session');
    expect(messageKeyOf(new ApiError('NETWORK', 0, { reference: 'r' })).key).toBe('error.network');
    expect(messageKeyOf(new ApiError('4029', 429, { reference: 'r', retryAfter: 30 }))).toEqual({
      key: 'error.rateLimited',
      seconds: 30,
    });
    expect(messageKeyOf(new ApiError('HTTP415', 415, { reference: 'r' })).key).toBe('error.unsupported');
    expect(messageKeyOf(new Error('boom')).key).toBe('error.server');
    const t = createTranslate('en');
    expect(
      friendlyError(new ApiError('4001', 401, { reference: 'r' }), t, { '4001': 'auth.badCredentials' })
        .message,
    ).toBe('The e-mail or password is not right.');
    expect(friendlyError(new ApiError('4029', 429, { reference: 'r', retryAfter: 30 }), t).message).toContain(
      '30 seconds',
    );
  });
});
