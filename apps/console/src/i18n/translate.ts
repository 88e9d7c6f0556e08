import { type Catalogue, en, type MessageKey } from './en.js';
import { ja } from './ja.js';
import { th } from './th.js';
import { zhTW } from './zh-tw.js';

/** The console's languages, in the order of the language menu. */
export const LANGUAGES = [
  { code: 'zh-TW', name: '繁體中文' },
  { code: 'en', name: 'English' },
  { code: 'ja', name: '日本語' },
  { code: 'th', name: 'ไทย' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

const CATALOGUES: Record<Language, Catalogue> = { 'zh-TW': zhTW, en, ja, th };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** A translator for `language`: `{name}` placeholders are filled from `params` (as text). */
export function createTranslate(language: Language): Translate {
  const catalogue = CATALOGUES[language];
  return (key, params) => {
    const template = catalogue[key] ?? en[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

/**
 * The language to start in: a stored choice, else the first browser language we speak
 * (any Chinese → zh-TW), else English.
 */
export function detectLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-TW';
    if (lower.startsWith('ja')) return 'ja';
    if (lower.startsWith('th')) return 'th';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
