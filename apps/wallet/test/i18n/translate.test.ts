import { catalogueProblems } from '@mycard/web-kit/i18n-check';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { en } from '../../src/i18n/en.js';
import { ja } from '../../src/i18n/ja.js';
import { th } from '../../src/i18n/th.js';
import { pickLanguage, translate } from '../../src/i18n/translate.js';
import { zhTW } from '../../src/i18n/zh-tw.js';

describe('translate', () => {
  it('uses the chosen language', () => {
    expect(translate('ja', 'nav.cards')).toBe('マイカード');
    expect(translate('zh-TW', 'nav.cards')).toBe('我的會員卡');
    expect(translate('th', 'nav.cards')).toBe('บัตรของฉัน');
  });

  it('every language has every English key, in valid ICU syntax with English’s arguments', () => {
    for (const catalogue of [en, zhTW, ja, th]) expect(catalogueProblems(en, catalogue)).toEqual([]);
    const { 'app.title': _dropped, ...lacking } = th;
    expect(catalogueProblems(en, lacking)).toEqual(['app.title: missing']);
  });

  it('fills placeholders as text and leaves unknown ones alone', () => {
    expect(translate('en', 'card.removeTitle', { name: '<b>Demo</b>' })).toBe('Remove <b>Demo</b>?');
    expect(translate('en', 'card.removeTitle')).toBe('Remove {name}?');
  });

  it('catalogues hold only keys English has, with the same placeholders', () => {
    for (const catalogue of [zhTW, ja, th]) {
      for (const [key, text] of Object.entries(catalogue)) {
        expect(Object.hasOwn(en, key), key).toBe(true);
        const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(vars(defined(text)), key).toEqual(vars(en[key as keyof typeof en]));
      }
    }
  });
});

describe('catalogues: the detail-link and "Don’t add" strings', () => {
  it('are translated in every language', () => {
    const keys = ['card.openingPage', 'card.pageUnavailable', 'callback.declining'] as const;
    for (const catalogue of [zhTW, ja, th]) {
      for (const key of keys) {
        expect(catalogue[key], key).toBeTruthy();
        expect(catalogue[key], key).not.toBe(en[key]);
      }
    }
  });
});

describe('pickLanguage', () => {
  it('takes the first supported candidate', () => {
    expect(pickLanguage([null, 'fr-FR', 'ja-JP', 'en'])).toBe('ja');
    expect(pickLanguage(['th'])).toBe('th');
    expect(pickLanguage(['en-GB'])).toBe('en');
  });

  it('maps every Chinese tag to zh-TW', () => {
    for (const tag of ['zh-TW', 'zh-Hant-TW', 'zh_HK', 'zh-CN', 'zh'])
      expect(pickLanguage([tag])).toBe('zh-TW');
  });

  it('falls back to English', () => {
    expect(pickLanguage([])).toBe('en');
    expect(pickLanguage(['ko-KR', undefined, ''])).toBe('en');
  });
});
