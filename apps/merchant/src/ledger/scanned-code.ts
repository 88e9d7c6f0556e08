import { type CodeType, isOneTimeKey, MembershipCodeError, validateMembershipCode } from '@mycard/protocol';
import { MerchantError } from '../errors.js';

/** What a typed or scanned code is once read. */
export type ScannedCode = { kind: 'membership_code'; code: string } | { kind: 'one_time_key'; code: string };

/** Spaces and dashes a wallet prints to group digits (`2996 8716 4498 7`, `1234-5678-…`). */
const GROUPING = /[\s-]/g;

/**
 * Reads what the cashier typed or the scanner sent. The code as typed (trimmed) comes first, so a
 * program whose codes carry spaces or dashes (CODE39, CODE128…) still matches; then, when what is
 * left after removing spaces and dashes is all digits, the compact form — the grouped digits the
 * wallet shows — as a membership code or an 18-digit My Code. A digit string of the program's
 * length whose check digit is wrong is `code_check_digit` (a typo), told apart from a well-formed
 * code no member has (`unknown_code`, decided by the caller).
 */
export function readScannedCode(codeType: CodeType, raw: string): ScannedCode[] {
  const typed = raw.trim();
  const compact = typed.replace(GROUPING, '');
  const candidates: ScannedCode[] = [];
  const seen = new Set<string>();
  let checkDigitWrong = false;
  for (const code of /^[0-9]+$/.test(compact) ? [typed, compact] : [typed]) {
    if (code === '' || seen.has(code)) continue;
    seen.add(code);
    try {
      validateMembershipCode(codeType, code);
      candidates.push({ kind: 'membership_code', code });
      continue;
    } catch (err) {
      if (!(err instanceof MembershipCodeError)) throw err;
      if (err.code === 'check_digit') checkDigitWrong = true;
    }
    if (isOneTimeKey(code)) candidates.push({ kind: 'one_time_key', code });
  }
  if (candidates.length === 0 && checkDigitWrong) throw new MerchantError('code_check_digit');
  if (candidates.length === 0) throw new MerchantError('unknown_code');
  return candidates;
}
