import { checkProgramUrl } from '@mycard/protocol';
import { describe, expect, it } from 'vitest';
import { checkWebUrl, safeLinkHref } from '../src/lib/web-url.js';

describe('checkWebUrl', () => {
  it('is the platform rule itself, from @mycard/protocol (cases in packages/protocol/test)', () => {
    expect(checkWebUrl).toBe(checkProgramUrl);
  });
});

describe('safeLinkHref (preview links)', () => {
  it('links only absolute http(s) URLs', () => {
    expect(safeLinkHref('https://shop.example/terms')).toBe('https://shop.example/terms');
    expect(safeLinkHref('http://shop.example/')).toBe('http://shop.example/');
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '/relative',
      '',
    ]) {
      expect(safeLinkHref(bad)).toBeUndefined();
    }
  });
});
