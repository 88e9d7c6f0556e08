import { describe, expect, it } from 'vitest';
import {
  CODE_TYPES,
  type CodeType,
  gs1CheckDigit,
  isCodeType,
  isValidMembershipCode,
  MembershipCodeError,
  maskMembershipCode,
  validateMembershipCode,
  withCheckDigit,
} from '../src/index.js';

function errorCode(codeType: CodeType, code: string): string | undefined {
  try {
    validateMembershipCode(codeType, code);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(MembershipCodeError);
    expect((err as MembershipCodeError).returnCode).toBe('2103');
    expect((err as MembershipCodeError).status).toBe(400);
    return (err as MembershipCodeError).code;
  }
}

describe('code types', () => {
  it('lists the nine types of PROTOCOL.md §7', () => {
    expect(CODE_TYPES).toEqual([
      'QRCODE',
      'PDF417',
      'DATAMATRIX',
      'AZTEC',
      'CODE128',
      'CODE39',
      'EAN13',
      'EAN8',
      'ITF',
    ]);
    expect(isCodeType('EAN13')).toBe(true);
    for (const v of ['ean13', 'UPC', '', null, 13]) expect(isCodeType(v)).toBe(false);
  });
});

describe('GS1 check digit', () => {
  it.each([
    ['4901234567894', 'EAN13'],
    ['5901234123457', 'EAN13'],
    ['96385074', 'EAN8'],
    ['00012345600012', 'ITF'],
    ['10012345678902', 'ITF'],
  ] as const)('%s is a valid %s', (code, type) => {
    expect(gs1CheckDigit(code.slice(0, -1))).toBe(Number(code.at(-1)));
    expect(withCheckDigit(code.slice(0, -1))).toBe(code);
    expect(isValidMembershipCode(type, code)).toBe(true);
    expect(errorCode(type, code)).toBeUndefined();
  });

  it('computes 0 when the sum is a multiple of 10', () => {
    expect(gs1CheckDigit('0000000')).toBe(0);
    expect(withCheckDigit('000000000000')).toBe('0000000000000');
  });

  it('refuses a non-digit payload', () => {
    expect(() => gs1CheckDigit('')).toThrow(TypeError);
    expect(() => gs1CheckDigit('12a')).toThrow(TypeError);
  });

  it.each([
    ['4901234567895', 'EAN13'],
    ['5901234123450', 'EAN13'],
    ['96385075', 'EAN8'],
    ['00012345600013', 'ITF'],
    ['10012345678900', 'ITF'],
    ['4091234567894', 'EAN13'], // two digits swapped
  ] as const)('%s has a bad %s check digit', (code, type) => {
    expect(errorCode(type, code)).toBe('check_digit');
    expect(isValidMembershipCode(type, code)).toBe(false);
  });
});

describe('fixed-length numeric types', () => {
  it.each([
    ['EAN13', 13],
    ['EAN8', 8],
    ['ITF', 14],
  ] as const)('%s must be %i digits', (type, length) => {
    const valid = withCheckDigit('1'.repeat(length - 1));
    expect(errorCode(type, valid)).toBeUndefined();
    expect(errorCode(type, '')).toBe('length');
    expect(errorCode(type, valid.slice(1))).toBe('length');
    expect(errorCode(type, `${valid}0`)).toBe('length');
    expect(errorCode(type, `${valid.slice(0, -2)}A${valid.at(-1)}`)).toBe('charset');
    expect(errorCode(type, ` ${valid.slice(1)}`)).toBe('charset');
    expect(errorCode(type, `${valid.slice(0, -1)}١`)).toBe('charset'); // Arabic-Indic digit one
  });
});

describe('printable types', () => {
  const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join('');

  it.each([
    ['QRCODE', 256],
    ['PDF417', 256],
    ['DATAMATRIX', 256],
    ['AZTEC', 256],
    ['CODE128', 48],
  ] as const)('%s takes 1–%i printable ASCII', (type, max) => {
    expect(errorCode(type, '')).toBe('length');
    expect(errorCode(type, 'x')).toBeUndefined();
    expect(errorCode(type, 'x'.repeat(max))).toBeUndefined();
    expect(errorCode(type, 'x'.repeat(max + 1))).toBe('length');
    expect(errorCode(type, printable.slice(0, Math.min(max, 95)))).toBeUndefined();
    for (const bad of ['\u001f', '\u007f', '\t', '\n', 'é', '会員', '\u0000']) {
      expect(errorCode(type, `A${bad}B`)).toBe('charset');
    }
  });
});

describe('CODE39', () => {
  it('takes 1–43 of 0-9 A-Z - . space $ / + %', () => {
    expect(errorCode('CODE39', 'ABC-123. $/+%')).toBeUndefined();
    expect(errorCode('CODE39', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%'.slice(0, 43))).toBeUndefined();
    expect(errorCode('CODE39', '')).toBe('length');
    expect(errorCode('CODE39', 'A'.repeat(43))).toBeUndefined();
    expect(errorCode('CODE39', 'A'.repeat(44))).toBe('length');
  });

  it('rejects lower case and other characters, never folding case', () => {
    for (const bad of ['abc', 'ABc', 'A*B', 'A_B', 'A#B', 'A\tB', 'Ä'])
      expect(errorCode('CODE39', bad)).toBe('charset');
  });
});

describe('isValidMembershipCode', () => {
  it('is false for an unknown code type', () => {
    expect(isValidMembershipCode('UPC' as CodeType, '123')).toBe(false);
  });
});

describe('maskMembershipCode', () => {
  it('keeps the last 4 characters and the length', () => {
    expect(maskMembershipCode('4901234561234')).toBe('*********1234');
    expect(maskMembershipCode('12345')).toBe('*2345');
  });

  it('fully masks codes of 4 characters or fewer', () => {
    expect(maskMembershipCode('1234')).toBe('****');
    expect(maskMembershipCode('12')).toBe('**');
    expect(maskMembershipCode('')).toBe('');
  });
});
