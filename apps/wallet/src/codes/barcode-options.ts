import type { CodeType } from '@mycard/protocol';

/** The bwip-js encoder for each code type of PROTOCOL.md §7. */
export const BWIP_ENCODER: Record<CodeType, string> = {
  QRCODE: 'qrcode',
  PDF417: 'pdf417',
  DATAMATRIX: 'datamatrix',
  AZTEC: 'azteccode',
  CODE128: 'code128',
  CODE39: 'code39',
  EAN13: 'ean13',
  EAN8: 'ean8',
  ITF: 'itf14',
};

/** Two-dimensional symbologies are drawn square-ish; the others are linear (bars). */
export function isTwoDimensional(codeType: CodeType): boolean {
  return codeType === 'QRCODE' || codeType === 'DATAMATRIX' || codeType === 'AZTEC' || codeType === 'PDF417';
}

/** The subset of bwip-js render options the wallet uses. */
export interface BarcodeRenderOptions {
  bcid: string;
  text: string;
  scale: number;
  height?: number;
  includetext: boolean;
  paddingwidth: number;
  paddingheight: number;
  backgroundcolor: string;
  barcolor: string;
  eclevel?: string;
  borderwidth?: number;
  showborder?: boolean;
}

/**
 * bwip-js options that draw `text` in `codeType`, sized for a phone screen. Codes are always dark on
 * white with a quiet zone, also in dark mode: scanners need the contrast. The human-readable text is
 * shown by the page itself (larger and selectable), so the symbol carries none.
 *
 * @example
 * ```ts
 * barcodeOptions('EAN13', '4901234567894').bcid; // 'ean13'
 * ```
 */
export function barcodeOptions(codeType: CodeType, text: string, scale = 3): BarcodeRenderOptions {
  const base: BarcodeRenderOptions = {
    bcid: BWIP_ENCODER[codeType],
    text,
    scale,
    includetext: false,
    paddingwidth: 10,
    paddingheight: 10,
    backgroundcolor: 'FFFFFF',
    barcolor: '000000',
  };
  switch (codeType) {
    case 'QRCODE':
      return { ...base, paddingwidth: 4, paddingheight: 4, eclevel: 'M' };
    case 'DATAMATRIX':
    case 'AZTEC':
      return { ...base, paddingwidth: 4, paddingheight: 4 };
    case 'PDF417':
      return { ...base, paddingwidth: 6, paddingheight: 6 };
    case 'ITF':
      // ITF-14's bearer bars frame the code; the quiet zone must be wide (≥10 modules).
      return { ...base, height: 16, paddingwidth: 14, borderwidth: 2, showborder: true };
    case 'EAN13':
    case 'EAN8':
      return { ...base, height: 22 };
    default:
      return { ...base, height: 18 };
  }
}
