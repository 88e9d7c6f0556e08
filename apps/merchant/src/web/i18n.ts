import { createTranslator, type Translate as KitTranslate, languageOfTag } from '@mycard/web-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOCALES, type Locale } from '../config.js';
import { en, type MessageKey, type Messages } from './messages/en.js';
import { ja } from './messages/ja.js';
import { th } from './messages/th.js';
import { zhTW } from './messages/zh-tw.js';

export const MESSAGES: Record<Locale, Messages> = { 'zh-TW': zhTW, en, ja, th };
export const LANG_COOKIE = 'merchant_lang';

export type Translate = KitTranslate<MessageKey>;

const TRANSLATORS = Object.fromEntries(
  LOCALES.map((locale) => [locale, createTranslator(locale, MESSAGES[locale], en)]),
) as Record<Locale, Translate>;

/**
 * A translator for one locale: ICU MessageFormat through @mycard/web-kit (FormatJS's
 * intl-messageformat, the engine of the SPAs' react-intl). Values are inserted as text; escaping is
 * the template's job. A message formatted without its values comes back as written (the till script
 * fills those `{name}` placeholders itself).
 */
export function translator(locale: Locale): Translate {
  return TRANSLATORS[locale];
}

/**
 * The page language: `?lang=` (the switcher; remembered in a cookie), then the cookie, then the
 * best match of Accept-Language (`zh`, `zh-Hant`, `zh-HK` → zh-TW), then the configured default.
 */
export function negotiateLocale(request: FastifyRequest, reply: FastifyReply, fallback: Locale): Locale {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (typeof query === 'string' && isLocale(query)) {
    reply.setCookie(LANG_COOKIE, query, {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      maxAge: 365 * 24 * 3600,
    });
    return query;
  }
  const cookie = request.cookies[LANG_COOKIE];
  if (cookie && isLocale(cookie)) return cookie;
  return fromAcceptLanguage(request.headers['accept-language'], fallback);
}

export function fromAcceptLanguage(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.tag && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const match = languageOfTag(tag);
    if (match && LOCALES.includes(match)) return match;
  }
  return fallback;
}

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
