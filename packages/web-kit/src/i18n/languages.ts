/**
 * The four languages of every web page of My Card (wallet, console, merchant pages), in the order
 * of the language menus. zh-TW is the one Chinese catalogue: any Chinese tag maps to it.
 */
export const LANGUAGES = ['zh-TW', 'en', 'ja', 'th'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, for the switchers. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  'zh-TW': '繁體中文',
  en: 'English',
  ja: '日本語',
  th: 'ไทย',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language a BCP 47 tag asks for (`zh-Hant-TW`, `zh_HK`, `ja-JP`…), or undefined. */
export function languageOfTag(tag: string): Language | undefined {
  const primary = tag.trim().toLowerCase().replace(/_/g, '-').split('-')[0];
  if (primary === 'zh') return 'zh-TW';
  if (primary === 'en' || primary === 'ja' || primary === 'th') return primary;
  return undefined;
}

/**
 * The first supported language among `candidates` (most preferred first: a saved choice, LIFF's
 * language, `navigator.languages`); unknown tags are skipped; English is the last resort.
 */
export function pickLanguage(candidates: readonly (string | null | undefined)[]): Language {
  for (const candidate of candidates) {
    const language = candidate ? languageOfTag(candidate) : undefined;
    if (language) return language;
  }
  return 'en';
}
