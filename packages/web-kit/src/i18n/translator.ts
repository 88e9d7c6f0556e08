import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from './languages.js';

/** Values for a message's arguments: `{name}`, `{count, plural, …}`, `{n, number}`. */
export type MessageValues = Record<string, string | number | Date>;

/** Catalogues are ICU MessageFormat strings keyed by message id. */
export type Catalogue<K extends string = string> = Readonly<Record<K, string>>;

export type Translate<K extends string = string> = (key: K, values?: MessageValues) => string;

/**
 * A translator for `language` (FormatJS's `intl-messageformat`; the same engine as react-intl in the
 * SPAs): ICU arguments, plural and select rules of the language, numbers and dates formatted for it.
 * Values are inserted as text (tags are not interpreted: escaping is the page's job). A key the
 * catalogue lacks falls back to `fallback` (English); a message whose values are missing is shown as
 * written rather than throwing. Parsed messages are cached per translator.
 */
export function createTranslator<K extends string>(
  language: Language,
  catalogue: Partial<Catalogue<K>>,
  fallback?: Catalogue<K>,
): Translate<K> {
  const cache = new Map<K, IntlMessageFormat | string>();
  const formatterFor = (key: K): IntlMessageFormat | string => {
    let formatter = cache.get(key);
    if (formatter === undefined) {
      const source = catalogue[key] ?? fallback?.[key] ?? key;
      try {
        formatter = new IntlMessageFormat(source, language, undefined, { ignoreTag: true });
      } catch {
        formatter = source;
      }
      cache.set(key, formatter);
    }
    return formatter;
  };
  return (key, values) => {
    const formatter = formatterFor(key);
    if (typeof formatter === 'string') return formatter;
    try {
      return String(formatter.format(values));
    } catch {
      return catalogue[key] ?? fallback?.[key] ?? key;
    }
  };
}
