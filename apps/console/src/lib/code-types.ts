/**
 * The nine barcode symbologies a program may choose (PROTOCOL.md §7), with what the console needs to
 * draw a live sample of each: the bwip-js encoder name and a valid sample membership code.
 * Kept here (not imported from @mycard/protocol) so the browser bundle carries no server code; a
 * test checks that the list equals the protocol's.
 */
export const CODE_TYPES = [
  'QRCODE',
  'PDF417',
  'DATAMATRIX',
  'AZTEC',
  'CODE128',
  'CODE39',
  'EAN13',
  'EAN8',
  'ITF',
] as const;

export type CodeType = (typeof CODE_TYPES)[number];

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

export function isCodeType(value: unknown): value is CodeType {
  return typeof value === 'string' && (CODE_TYPES as readonly string[]).includes(value);
}
