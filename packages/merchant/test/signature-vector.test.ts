import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../src/index.js';

/** The HMAC test vector of docs/integration-guide.md ("Signing without the SDK") holds. */
const guide = readFileSync(new URL('../../../docs/integration-guide.md', import.meta.url), 'utf8');
const row = (label: string) => {
  const match = new RegExp(`^\\| ${label.replace(/[()]/g, '\\$&')}[^|]*\\| \`([^\`]+)\` \\|$`, 'm').exec(
    guide,
  );
  if (!match?.[1]) throw new Error(`no row "${label}" in the guide`);
  return match[1];
};

describe('the documented HMAC test vector', () => {
  const channelSecret = row('channel secret');

  it('is what signRequest computes: key = the secret text as UTF-8', async () => {
    const signature = await signRequest({
      channelSecret,
      path: row('path'),
      payload: row('body (exact bytes)'),
      nonce: row('nonce'),
    });
    expect(signature).toBe(row('`X-LINE-Authorization`'));
  });

  it('differs from the hex-decoded-key mistake, and the GET vector holds too', async () => {
    expect(row('`X-LINE-Authorization`')).not.toBe(row('(wrong: key = hex-decoded secret)'));
    const get = await signRequest({
      channelSecret,
      path: '/v1/onetimekeys/123456789012345678',
      payload: '',
      nonce: '0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c',
    });
    expect(get).toBe(row('GET `/v1/onetimekeys/123456789012345678`'));
  });
});
