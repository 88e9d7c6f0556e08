import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';
import { th } from './th.js';
import { zhTW } from './zh-tw.js';

export const LANGUAGES = ['zh-TW', 'en', 'ja', 'th'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  'zh-TW': '繁體中文',
  en: 'English',
  ja: '日本語',
  th: 'ไทย',
};

const CATALOGUES: Record<Language, Partial<Record<MessageKey, string>>> = { 'zh-TW': zhTW, en, ja, th };

export type Vars = Record<string, string | number>;

/**
 * The message `key` in `language`, falling back to English for a key the catalogue lacks, with
 * `{name}` placeholders filled from `vars` (values are inserted as text, never as markup).
 */
export function translate(language: Language, key: MessageKey, vars?: Vars): string {
  const template = CATALOGUES[language][key] ?? en[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

/**
 * The first supported language among `candidates` (BCP 47 tags, most preferred first: a saved
 * choice, LIFF's language, `navigator.languages`). Any Chinese maps to zh-TW (the one Chinese
 * catalogue); unknown tags are skipped; English is the last resort.
 */
export function pickLanguage(candidates: readonly (string | null | undefined)[]): Language {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const tag = candidate.trim().toLowerCase().replace(/_/g, '-');
    const primary = tag.split('-')[0];
    if (primary === 'zh') return 'zh-TW';
    if (primary === 'en') return 'en';
    if (primary === 'ja') return 'ja';
    if (primary === 'th') return 'th';
  }
  return 'en';
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
