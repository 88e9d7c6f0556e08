import { describe, expect, it } from 'vitest';
import { safeColor, safeHttpsUrl, safeHttpUrl, safeImageUrl } from '../../src/lib/safe-url.js';

describe('merchant-supplied URLs and colours', () => {
  it('keeps absolute http(s) links', () => {
    expect(safeHttpUrl('https://shop.example/terms?x=1')).toBe('https://shop.example/terms?x=1');
    expect(safeHttpUrl('http://localhost:4000/a')).toBe('http://localhost:4000/a');
  });

  it('drops script, data, relative and credential-bearing links', () => {
    for (const bad of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      '//evil.example/x',
      '/relative',
      'https://user:pass@evil.example/',
      42,
      undefined,
    ]) {
      expect(safeHttpUrl(bad), String(bad)).toBeUndefined();
    }
  });

  it('opens a message link only when it is https (PROTOCOL.md §11)', () => {
    expect(safeHttpsUrl('https://shop.example/points?x=1')).toBe('https://shop.example/points?x=1');
    for (const bad of [
      'http://shop.example/',
      'javascript:alert(1)',
      'https://u:p@shop.example/',
      null,
      '',
    ]) {
      expect(safeHttpsUrl(bad), String(bad)).toBeUndefined();
    }
  });

  it('accepts platform logo paths and http(s) images only', () => {
    expect(safeImageUrl('/v1/programs/1234567890/logo')).toBe('/v1/programs/1234567890/logo');
    expect(safeImageUrl('/v1/programs/1234567890/logo?v=3')).toBe('/v1/programs/1234567890/logo?v=3');
    const participantLogo = '/v1/participants/pt_AbCdEfGhIjKlMn0_/logo';
    expect(safeImageUrl(participantLogo)).toBe(participantLogo);
    expect(safeImageUrl('/v1/participants/pt_short/logo')).toBeUndefined();
    expect(safeImageUrl('/v1/participants/pt_AbCdEfGhIjKlMn0_/../logo')).toBeUndefined();
    expect(safeImageUrl('/v1/../admin')).toBeUndefined();
    expect(safeImageUrl('/v1/bundles/bd_AAAAAAAAAAAAAAAA/banner')).toBe(
      '/v1/bundles/bd_AAAAAAAAAAAAAAAA/banner',
    );
    expect(safeImageUrl('/v1/bundles/bd_A/../../admin/banner')).toBeUndefined();
    expect(safeImageUrl(null)).toBeUndefined();
    expect(safeImageUrl('javascript:alert(1)')).toBeUndefined();
  });

  it('accepts hex colours only', () => {
    expect(safeColor('#0f766e', '#000')).toBe('#0f766e');
    expect(safeColor('#FFF', '#000')).toBe('#FFF');
    expect(safeColor('red;background:url(x)', '#000')).toBe('#000');
    expect(safeColor('expression(alert(1))', '#000')).toBe('#000');
  });
});
