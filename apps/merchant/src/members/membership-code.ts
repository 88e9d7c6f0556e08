import { randomInt } from 'node:crypto';
import { type CodeType, validateMembershipCode, withCheckDigit } from '@mycard/protocol';

const LENGTH_WITH_CHECK_DIGIT: Partial<Record<CodeType, number>> = { EAN13: 13, EAN8: 8, ITF: 14 };

function randomDigits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

/**
 * A fresh random membership code valid for `codeType` (PROTOCOL.md §7): for EAN-13/EAN-8/ITF-14
 * the prefix, random digits and the GS1 check digit; for the other types `prefix` + 12 random digits
 * (digits fit every symbology). Random rather than sequential, because a code shown at the till
 * must not let anyone guess a neighbour's code. Uniqueness is the database's job (unique index).
 *
 * @example
 * ```ts
 * generateMembershipCode('EAN13', '29'); // e.g. '2904718263551'
 * ```
 */
export function generateMembershipCode(codeType: CodeType, prefix: string): string {
  const length = LENGTH_WITH_CHECK_DIGIT[codeType];
  const code =
    length === undefined
      ? prefix + randomDigits(12)
      : withCheckDigit(prefix + randomDigits(Math.max(1, length - 1 - prefix.length)));
  validateMembershipCode(codeType, code);
  return code;
}
