import { catalogueProblems } from '@mycard/web-kit/i18n-check';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.js';
import { ja } from '../src/i18n/ja.js';
import { th } from '../src/i18n/th.js';
import { createTranslate, detectLanguage } from '../src/i18n/translate.js';
import { zhTW } from '../src/i18n/zh-tw.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it.each([
    ['zh-TW', zhTW],
    ['ja', ja],
    ['th', th],
  ] as const)('%s has every key of English with the same placeholders, translated', (_lang, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const other = catalogue[key as keyof typeof en];
      expect(other, key).not.toBe('');
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  it('every language, English too, is complete, in valid ICU syntax, with English’s arguments', () => {
    for (const catalogue of [en, zhTW, ja, th]) expect(catalogueProblems(en, catalogue)).toEqual([]);
  });

  it('counts with the plural rules of each language', () => {
    expect(createTranslate('en')('programs.cards', { count: 1 })).toBe('1 card');
    expect(createTranslate('en')('programs.cards', { count: 0 })).toBe('0 cards');
    expect(createTranslate('zh-TW')('programs.cards', { count: 1 })).toBe('1 張卡');
    expect(createTranslate('th')('programs.cards', { count: 3 })).toBe('3 ใบ');
  });

  it('fills parameters as text', () => {
    expect(createTranslate('en')('status.confirmLive', { name: '<b>Mart</b>' })).toContain('<b>Mart</b>');
    expect(createTranslate('ja')('err.tooLong', { max: 64 })).toBe('64 文字以内で入力してください。');
  });
});

describe('detectLanguage', () => {
  it('prefers a stored choice, then the browser, then English', () => {
    expect(detectLanguage('th', ['ja-JP'])).toBe('th');
    expect(detectLanguage('xx', ['zh-HK', 'en'])).toBe('zh-TW');
    expect(detectLanguage(null, ['fr-FR', 'ja'])).toBe('ja');
    expect(detectLanguage(null, ['fr-FR'])).toBe('en');
  });
});
