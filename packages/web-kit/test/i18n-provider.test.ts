import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider, useI18n } from '../src/react/i18n-provider.js';

const en = { cards: '{count, plural, one {# card} other {# cards}}', hello: 'Hello, {name}' };
type Key = keyof typeof en;
const props = {
  storageKey: 'test.language',
  catalogues: {
    en,
    ja: { cards: '{count, plural, other {# 枚}}', hello: 'こんにちは、{name}' },
    th: { cards: '{count, plural, other {# ใบ}}', hello: 'สวัสดี {name}' },
    'zh-TW': { cards: '{count, plural, other {# 張卡}}', hello: '你好，{name}' },
  },
};

function Probe({ count }: { count: number }) {
  const { t, language, formatTime } = useI18n<Key>();
  return createElement(
    'p',
    null,
    `${language}|${t('cards', { count })}|${t('hello', { name: '<i>A</i>' })}|${formatTime('not a date')}`,
  );
}

const render = (initial: 'en' | 'ja' | 'zh-TW', count: number) =>
  renderToStaticMarkup(createElement(I18nProvider, { ...props, initial }, createElement(Probe, { count })));

describe('I18nProvider and useI18n', () => {
  it('translates with the plural rules of the chosen language', () => {
    expect(render('en', 1)).toBe('<p>en|1 card|Hello, &lt;i&gt;A&lt;/i&gt;|not a date</p>');
    expect(render('en', 2)).toContain('|2 cards|');
    expect(render('ja', 1)).toContain('ja|1 枚|こんにちは、&lt;i&gt;A&lt;/i&gt;|');
    expect(render('zh-TW', 5)).toContain('|5 張卡|');
  });

  it('refuses use outside the provider', () => {
    expect(() => renderToStaticMarkup(createElement(Probe, { count: 1 }))).toThrow(/outside I18nProvider/);
  });
});
