import { describe, expect, it } from 'vitest';
import { isLanguage, languageOfTag, pickLanguage } from '../src/i18n/languages.js';

describe('languages', () => {
  it('maps tags to the four languages, any Chinese to zh-TW', () => {
    for (const tag of ['zh-TW', 'zh-Hant-TW', 'zh_HK', 'zh-CN', 'zh'])
      expect(languageOfTag(tag)).toBe('zh-TW');
    expect(languageOfTag('ja-JP')).toBe('ja');
    expect(languageOfTag('TH')).toBe('th');
    expect(languageOfTag('fr')).toBeUndefined();
  });

  it('picks the first supported candidate, else English', () => {
    expect(pickLanguage([null, 'fr-FR', 'ja-JP', 'en'])).toBe('ja');
    expect(pickLanguage(['ko', undefined, ''])).toBe('en');
  });

  it('knows its languages', () => {
    expect(isLanguage('zh-TW')).toBe(true);
    expect(isLanguage('zh')).toBe(false);
  });
});
