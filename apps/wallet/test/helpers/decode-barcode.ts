import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { PNG } from 'pngjs';
import { defined } from '../../../../test-support/defined.js';

export interface Decoded {
  text: string;
  format: string;
}

/**
 * Reads the barcode in a PNG (a bwip-js rendering or a browser screenshot) with ZXing: every
 * symbology of PROTOCOL.md §7, trying hard, on the luminance of the RGBA pixels (transparent = white).
 */
export function decodePng(png: Buffer): Decoded {
  const image = PNG.sync.read(png);
  const { width, height, data } = image;
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0; i < width * height; i++) {
    const a = defined(data[i * 4 + 3]) / 255;
    const l =
      0.299 * defined(data[i * 4]) + 0.587 * defined(data[i * 4 + 1]) + 0.114 * defined(data[i * 4 + 2]);
    luminance[i] = Math.round(l * a + 255 * (1 - a));
  }
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.TRY_HARDER, true],
    [
      DecodeHintType.POSSIBLE_FORMATS,
      [
        BarcodeFormat.QR_CODE,
        BarcodeFormat.PDF_417,
        BarcodeFormat.DATA_MATRIX,
        BarcodeFormat.AZTEC,
        BarcodeFormat.CODE_128,
        BarcodeFormat.CODE_39,
        BarcodeFormat.EAN_13,
        BarcodeFormat.EAN_8,
        BarcodeFormat.ITF,
      ],
    ],
  ]);
  const reader = new MultiFormatReader();
  reader.setHints(hints);
  const source = new RGBLuminanceSource(luminance, width, height);
  const result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
  return { text: result.getText(), format: BarcodeFormat[result.getBarcodeFormat()] ?? 'UNKNOWN' };
}
