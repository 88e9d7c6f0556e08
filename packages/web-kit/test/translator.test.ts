import { describe, expect, it } from 'vitest';
import { createTranslator } from '../src/i18n/translator.js';

const en = {
  cards: '{count, plural, one {# card} other {# cards}}',
  hello: 'Hello, {name}',
  points: '{points, number} pts',
  brand: 'My Card',
} as const;
type Key = keyof typeof en;

describe('createTranslator', () => {
  it('applies the plural rules of the language', () => {
    const t = createTranslator<Key>('en', en);
    expect(t('cards', { count: 1 })).toBe('1 card');
    expect(t('cards', { count: 3 })).toBe('3 cards');
    const ja = createTranslator<Key>('ja', { ...en, cards: '{count, plural, other {# 枚}}' });
    expect(ja('cards', { count: 1 })).toBe('1 枚');
  });

  it('formats numbers for the language', () => {
    expect(createTranslator<Key>('en', en)('points', { points: 12345 })).toBe('12,345 pts');
  });

  it('inserts values as text, tags and all', () => {
    expect(createTranslator<Key>('en', en)('hello', { name: '<b>Mart</b>' })).toBe('Hello, <b>Mart</b>');
    const tagged = createTranslator<'x'>('en', { x: 'Use <b>{name}</b>' });
    expect(tagged('x', { name: 'A' })).toBe('Use <b>A</b>');
  });

  it('shows a message whose values are missing as written', () => {
    expect(createTranslator<Key>('en', en)('hello')).toBe('Hello, {name}');
  });

  it('falls back to the fallback catalogue, then to the key', () => {
    const th = createTranslator<Key>('th', { hello: 'สวัสดี {name}' }, en);
    expect(th('brand')).toBe('My Card');
    expect(th('hello', { name: 'A' })).toBe('สวัสดี A');
    expect(createTranslator<Key>('th', {})('brand')).toBe('brand');
  });
});
