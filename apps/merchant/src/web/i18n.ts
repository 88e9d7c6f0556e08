import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOCALES, type Locale } from '../config.js';
import { en, type MessageKey, type Messages } from './messages/en.js';
import { ja } from './messages/ja.js';
import { th } from './messages/th.js';
import { zhTW } from './messages/zh-tw.js';

export const MESSAGES: Record<Locale, Messages> = { 'zh-TW': zhTW, en, ja, th };
export const LANG_COOKIE = 'merchant_lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for one locale: `{name}` placeholders are replaced (escaping is the template's job). */
export function translator(locale: Locale): Translate {
  const messages = MESSAGES[locale];
  return (key, vars) => messages[key].replace(/\{(\w+)\}/g, (m, name: string) => String(vars?.[name] ?? m));
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
    if (tag.startsWith('zh')) return 'zh-TW';
    const primary = tag.split('-')[0];
    const match = LOCALES.find((l) => l === primary);
    if (match) return match;
  }
  return fallback;
}

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
