import { describe, expect, it } from 'vitest';
import { contrastRatio, isColor } from '../src/lib/colors.js';

describe('card colours', () => {
  it('accepts #rrggbb only', () => {
    expect(isColor('#0f766e')).toBe(true);
    expect(isColor('#0F766E')).toBe(true);
    expect(isColor('#fff')).toBe(false);
    expect(isColor('red')).toBe(false);
  });

  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#0f766e', '#ffffff')).toBeGreaterThan(4.5);
    expect(contrastRatio('#ffff00', '#ffffff')).toBeLessThan(1.2);
    expect(contrastRatio('#fff', '#000000')).toBeUndefined();
  });
});
