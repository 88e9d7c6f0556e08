import { describe, expect, it } from 'vitest';
import { catalogueProblems, messageArguments } from '../src/i18n/check-catalogue.js';

const en = { a: 'Hello, {name}', b: '{count, plural, one {# card for {who}} other {# cards}}', c: 'Plain' };

describe('catalogueProblems', () => {
  it('passes a complete catalogue', () => {
    expect(catalogueProblems(en, en)).toEqual([]);
    expect(
      catalogueProblems(en, { a: 'こんにちは {name}', b: '{count, plural, other {# 枚 {who}}}', c: 'x' }),
    ).toEqual([]);
  });

  it('reports missing, extra and empty messages', () => {
    expect(catalogueProblems(en, { a: 'Hi {name}', b: en.b, d: 'x' })).toEqual([
      'c: missing',
      'd: not in English',
    ]);
    expect(catalogueProblems(en, { ...en, c: ' ' })).toEqual(['c: empty']);
  });

  it('reports ICU syntax errors and arguments that differ from English', () => {
    const problems = catalogueProblems(en, { ...en, a: 'Hello, {name', c: 'Plain {extra}' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^a: syntax error/);
    expect(problems[1]).toBe('c: arguments {extra} differ from English {}');
  });

  it('finds arguments inside plural branches', () => {
    expect(messageArguments(en.b)).toEqual(['count', 'who']);
  });
});
