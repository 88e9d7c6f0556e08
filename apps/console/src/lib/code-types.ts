import type { CodeType } from '@mycard/protocol';

/**
 * What the console needs to draw a live sample of each code type of PROTOCOL.md §7: the bwip-js
 * encoder name, a valid sample membership code and the labels. The list of code types and their
 * rules come from @mycard/protocol; a test checks that each sample is valid there.
 */
export interface CodeTypeInfo {
  /** The bwip-js encoder (`bcid`). */
  bcid: string;
  /** A membership code valid for this type: what the sample barcode shows. */
  sample: string;
  /** Two-dimensional symbols are drawn square; linear ones wide with the text below. */
  twoD: boolean;
  /** What a membership code must be, for the hint under the picker (not translated: it is a spec). */
  rule: string;
  /** Human name of the symbology. */
  label: string;
}

export const CODE_TYPE_INFO: Record<CodeType, CodeTypeInfo> = {
  QRCODE: {
    bcid: 'qrcode',
    sample: 'MC-0001-4901234567894',
    twoD: true,
    rule: '1–256 ASCII',
    label: 'QR Code',
  },
  PDF417: {
    bcid: 'pdf417',
    sample: 'MC-0001-4901234567894',
    twoD: true,
    rule: '1–256 ASCII',
    label: 'PDF417',
  },
  DATAMATRIX: {
    bcid: 'datamatrix',
    sample: 'MC-0001-4901234567894',
    twoD: true,
    rule: '1–256 ASCII',
    label: 'Data Matrix',
  },
  AZTEC: {
    bcid: 'azteccode',
    sample: 'MC-0001-4901234567894',
    twoD: true,
    rule: '1–256 ASCII',
    label: 'Aztec',
  },
  CODE128: { bcid: 'code128', sample: 'MC0001234567', twoD: false, rule: '1–48 ASCII', label: 'Code 128' },
  CODE39: {
    bcid: 'code39',
    sample: 'MC-123456',
    twoD: false,
    rule: '1–43 of 0-9 A-Z - . $ / + %',
    label: 'Code 39',
  },
  EAN13: {
    bcid: 'ean13',
    sample: '4901234567894',
    twoD: false,
    rule: '13 digits, check digit',
    label: 'EAN-13',
  },
  EAN8: { bcid: 'ean8', sample: '96385074', twoD: false, rule: '8 digits, check digit', label: 'EAN-8' },
  ITF: {
    bcid: 'itf14',
    sample: '14901234567891',
    twoD: false,
    rule: '14 digits (ITF-14), check digit',
    label: 'ITF-14',
  },
};
