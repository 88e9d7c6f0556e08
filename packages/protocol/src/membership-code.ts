import { MembershipCodeError } from './errors.js';

/**
 * The barcode symbologies a program may choose for its membership codes (PROTOCOL.md §7).
 *
 * @example
 * ```ts
 * for (const type of CODE_TYPES) console.log(type);
 * ```
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

/**
 * One of {@link CODE_TYPES}.
 *
 * @example
 * ```ts
 * const codeType: CodeType = 'EAN13';
 * ```
 */
export type CodeType = (typeof CODE_TYPES)[number];

/**
 * True when `v` is one of {@link CODE_TYPES} (exact, case-sensitive).
 *
 * @example
 * ```ts
 * isCodeType('EAN13'); // true
 * isCodeType('ean13'); // false
 * ```
 */
export function isCodeType(v: unknown): v is CodeType {
  return typeof v === 'string' && (CODE_TYPES as readonly string[]).includes(v);
}

interface CodeRule {
  min: number;
  max: number;
  charset: RegExp;
  checkDigit: boolean;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const CODE39_CHARSET = /^[0-9A-Z\-. $/+%]*$/;
const DIGITS = /^[0-9]*$/;

const RULES: Record<CodeType, CodeRule> = {
  QRCODE: { min: 1, max: 256, charset: PRINTABLE_ASCII, checkDigit: false },
  PDF417: { min: 1, max: 256, charset: PRINTABLE_ASCII, checkDigit: false },
  DATAMATRIX: { min: 1, max: 256, charset: PRINTABLE_ASCII, checkDigit: false },
  AZTEC: { min: 1, max: 256, charset: PRINTABLE_ASCII, checkDigit: false },
  CODE128: { min: 1, max: 48, charset: PRINTABLE_ASCII, checkDigit: false },
  CODE39: { min: 1, max: 43, charset: CODE39_CHARSET, checkDigit: false },
  EAN13: { min: 13, max: 13, charset: DIGITS, checkDigit: true },
  EAN8: { min: 8, max: 8, charset: DIGITS, checkDigit: true },
  ITF: { min: 14, max: 14, charset: DIGITS, checkDigit: true },
};

/**
 * The GS1 mod-10 check digit of a digit string: weights 3, 1, 3, … from the right (EAN-13,
 * EAN-8, ITF-14). Throws a `TypeError` when `payload` is not a non-empty digit string.
 *
 * @example
 * ```ts
 * gs1CheckDigit('490123456789'); // 4
 * ```
 */
export function gs1CheckDigit(payload: string): number {
  if (typeof payload !== 'string' || !/^[0-9]+$/.test(payload)) {
    throw new TypeError('payload must be a non-empty string of digits');
  }
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Appends the GS1 check digit to a digit string.
 *
 * @example
 * ```ts
 * withCheckDigit('490123456789'); // '4901234567894'
 * ```
 */
export function withCheckDigit(payload: string): string {
  return payload + String(gs1CheckDigit(payload));
}

/**
 * Validates a membership code for a code type (PROTOCOL.md §7). Checks length, then charset,
 * then the check digit, and throws a {@link MembershipCodeError} (2103) with code `length`,
 * `charset` or `check_digit`. Nothing is trimmed or case-folded.
 *
 * @example
 * ```ts
 * validateMembershipCode('EAN13', '4901234567894'); // ok
 * validateMembershipCode('CODE39', 'abc');          // throws, code 'charset'
 * ```
 */
export function validateMembershipCode(codeType: CodeType, code: string): void {
  const rule = RULES[codeType];
  if (!rule) throw new TypeError(`Unknown code type: ${String(codeType)}`);
  if (typeof code !== 'string' || code.length < rule.min || code.length > rule.max) {
    throw new MembershipCodeError('length', `A ${codeType} code is ${lengthText(rule)} characters.`);
  }
  if (!rule.charset.test(code)) {
    throw new MembershipCodeError('charset', `The code has characters a ${codeType} cannot carry.`);
  }
  if (rule.checkDigit && gs1CheckDigit(code.slice(0, -1)) !== code.charCodeAt(code.length - 1) - 48) {
    throw new MembershipCodeError('check_digit', `The ${codeType} check digit is wrong.`);
  }
}

/**
 * True when {@link validateMembershipCode} would accept the code (false for an unknown code type).
 *
 * @example
 * ```ts
 * isValidMembershipCode('EAN8', '96385074'); // true
 * ```
 */
export function isValidMembershipCode(codeType: CodeType, code: string): boolean {
  if (!isCodeType(codeType)) return false;
  try {
    validateMembershipCode(codeType, code);
    return true;
  } catch (err) {
    if (err instanceof MembershipCodeError) return false;
    throw err;
  }
}

/**
 * Masks a code for display and logs: every character but the last 4 becomes `*` (the length is
 * kept); codes of 4 characters or fewer are fully masked.
 *
 * @example
 * ```ts
 * maskMembershipCode('4901234567894'); // '*********7894'
 * maskMembershipCode('1234');          // '****'
 * ```
 */
export function maskMembershipCode(code: string): string {
  const chars = Array.from(code);
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}

function lengthText(rule: CodeRule): string {
  return rule.min === rule.max ? String(rule.min) : `${rule.min}–${rule.max}`;
}
