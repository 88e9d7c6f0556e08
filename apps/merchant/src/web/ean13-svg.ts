import { html, type SafeHtml } from './html.js';

// GS1 EAN-13 symbol: L, G and R digit patterns and the parity of the left half by the first digit.
const L = [
  '0001101',
  '0011001',
  '0010011',
  '0111101',
  '0100011',
  '0110001',
  '0101111',
  '0111011',
  '0110111',
  '0001011',
];
const R = L.map((p) => [...p].map((b) => (b === '1' ? '0' : '1')).join(''));
const G = R.map((p) => [...p].reverse().join(''));
const PARITY = [
  'LLLLLL',
  'LLGLGG',
  'LLGGLG',
  'LLGGGL',
  'LGLLGG',
  'LGGLLG',
  'LGGGLL',
  'LGLGLG',
  'LGLGGL',
  'LGGLGL',
];

/**
 * The 95 modules of an EAN-13 symbol ('1' = bar), guards included. Expects 13 digits whose check
 * digit is already right (membership codes are validated before they are stored).
 *
 * @example
 * ```ts
 * ean13Modules('4901234567894').length; // 95
 * ```
 */
export function ean13Modules(code: string): string {
  if (!/^\d{13}$/.test(code)) throw new TypeError('EAN-13 needs 13 digits');
  const [first, ...rest] = [...code].map(Number);
  const parity = pattern(PARITY, first);
  let out = '101';
  rest.forEach((digit, i) => {
    if (i === 6) out += '01010';
    const table = i >= 6 ? R : parity[i] === 'L' ? L : G;
    out += pattern(table, digit);
  });
  return `${out}101`;
}

/** The table row for one digit; the 13-digit check above makes a miss impossible. */
function pattern(table: readonly string[], digit: number | undefined): string {
  const row = digit === undefined ? undefined : table[digit];
  if (row === undefined) throw new TypeError('EAN-13 needs 13 digits');
  return row;
}

/** An inline SVG barcode (no script, no style attribute: CSP-safe), readable by the till's camera. */
export function ean13Svg(code: string, label: string): SafeHtml {
  const modules = ean13Modules(code);
  const quiet = 11;
  const width = modules.length + quiet + 7;
  const bars: SafeHtml[] = [];
  for (let i = 0; i < modules.length; ) {
    if (modules[i] !== '1') {
      i++;
      continue;
    }
    let run = 1;
    while (modules[i + run] === '1') run++;
    bars.push(html`<rect x="${quiet + i}" y="0" width="${run}" height="60"/>`);
    i += run;
  }
  return html`<svg class="barcode" role="img" aria-label="${label}" viewBox="0 0 ${width} 60" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><rect width="${width}" height="60" fill="#fff"/><g fill="#000">${bars}</g></svg>`;
}
