import type { Language } from '../i18n/translate.js';

/** A date (ISO-8601) in the reader's language, date only; the raw value when unparsable. */
export function formatDate(iso: string | undefined, language: Language): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(language).format(value);
}

/** Groups a long code for reading aloud or typing: "4901 2345 6789 4". */
export function groupCode(code: string): string {
  if (code.length <= 8 || /\s/.test(code)) return code;
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}
