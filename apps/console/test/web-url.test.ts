import { describe, expect, it } from 'vitest';
import { checkWebUrl as apiCheckWebUrl } from '../../platform/src/programs/program-input.js';
import { checkWebUrl, safeLinkHref } from '../src/lib/web-url.js';

const urls = [
  'https://shop.example/bind',
  'https://shop.example/bind?x=1#y',
  'http://localhost:3000/',
  'http://127.0.0.1/',
  'http://[::1]:8080/',
  'http://shop.example/',
  'http://localhost.evil.example/',
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'https://user:pw@shop.example/',
  'https://shop.example/a b',
  'https://shöp.example/',
  '//shop.example/',
  'shop.example',
  '',
];

describe('checkWebUrl', () => {
  it.each(urls)('judges %j as the platform does', (url) => {
    expect(checkWebUrl(url)).toBe(apiCheckWebUrl(url));
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
