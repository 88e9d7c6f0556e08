import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/http/log-redaction.js';

describe('redactUrl', () => {
  it('keeps only the last 4 digits of a one-time key in the path', () => {
    expect(redactUrl('/v1/onetimekeys/123456789012345678')).toBe('/v1/onetimekeys/**************5678');
  });

  it('replaces token-carrying query values and keeps the others', () => {
    const out = redactUrl(
      '/wallet/bindings/callback?token=secret-completion&channelId=1234567890&status=SUCCESS',
    );
    expect(out).not.toContain('secret-completion');
    expect(out).toContain('channelId=1234567890');
    expect(out).toContain('status=SUCCESS');
  });

  it('leaves plain paths alone', () => {
    expect(redactUrl('/v1/cards')).toBe('/v1/cards');
  });
});
