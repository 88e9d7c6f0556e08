/** Colour helpers for the card face: the `#rrggbb` rule of the API and a WCAG contrast check. */
export const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

export function isColor(value: string): boolean {
  return COLOR_PATTERN.test(value);
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * The WCAG 2 contrast ratio of two `#rrggbb` colours (1–21), or undefined when one is not a colour.
 *
 * @example
 * ```ts
 * contrastRatio('#000000', '#ffffff'); // 21
 * ```
 */
export function contrastRatio(a: string, b: string): number | undefined {
  if (!isColor(a) || !isColor(b)) return undefined;
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
