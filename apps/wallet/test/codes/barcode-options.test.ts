import { isCodeType } from '@mycard/protocol';
import bwipjs from 'bwip-js/node';
import { describe, expect, it } from 'vitest';
import type { CodeType } from '../../src/api/types.js';
import { BWIP_ENCODER, barcodeOptions, isTwoDimensional } from '../../src/codes/barcode-options.js';
import { decodePng } from '../helpers/decode-barcode.js';

/** A valid membership code of each type (PROTOCOL.md §7) and the ZXing format that reads it. */
const SAMPLES: Record<CodeType, { code: string; encoder: string; format: string }> = {
  QRCODE: { code: 'MYCARD-4901234567894', encoder: 'qrcode', format: 'QR_CODE' },
  PDF417: { code: 'MYCARD-4901234567894', encoder: 'pdf417', format: 'PDF_417' },
  DATAMATRIX: { code: 'MYCARD-4901234567894', encoder: 'datamatrix', format: 'DATA_MATRIX' },
  AZTEC: { code: 'MYCARD-4901234567894', encoder: 'azteccode', format: 'AZTEC' },
  CODE128: { code: 'DM-000123-abc', encoder: 'code128', format: 'CODE_128' },
  CODE39: { code: 'DEMO-123 $/+%', encoder: 'code39', format: 'CODE_39' },
  EAN13: { code: '4901234567894', encoder: 'ean13', format: 'EAN_13' },
  EAN8: { code: '96385074', encoder: 'ean8', format: 'EAN_8' },
  ITF: { code: '15400141288763', encoder: 'itf14', format: 'ITF' },
};

describe('code type → bwip-js options', () => {
  it('covers exactly the nine code types of PROTOCOL.md §7', () => {
    expect(Object.keys(BWIP_ENCODER).sort()).toEqual(Object.keys(SAMPLES).sort());
    expect(isCodeType('EAN13')).toBe(true);
    expect(isCodeType('UPCA')).toBe(false);
    expect(isCodeType('toString')).toBe(false);
  });

  it('draws dark on white with no human-readable text inside the symbol', () => {
    for (const type of Object.keys(SAMPLES) as CodeType[]) {
      const o = barcodeOptions(type, SAMPLES[type].code, 2);
      expect(o).toMatchObject({
        backgroundcolor: 'FFFFFF',
        barcolor: '000000',
        includetext: false,
        scale: 2,
      });
      expect(o.paddingwidth).toBeGreaterThan(0);
      expect(o.height === undefined).toBe(isTwoDimensional(type));
    }
  });

  for (const [type, sample] of Object.entries(SAMPLES) as [CodeType, (typeof SAMPLES)[CodeType]][]) {
    it(`${type} → ${sample.encoder}: renders, and decodes back to the membership code`, async () => {
      const options = barcodeOptions(type, sample.code, 3);
      expect(options.bcid).toBe(sample.encoder);
      const png = await bwipjs.toBuffer(options);
      const decoded = decodePng(png);
      expect(decoded.format).toBe(sample.format);
      expect(decoded.text).toBe(sample.code);
    });
  }
});
