import { LOCALES, type Locale } from '../config.js';
import { html, type SafeHtml } from './html.js';
import { MESSAGES, type Translate } from './i18n.js';

export interface PageContext {
  locale: Locale;
  t: Translate;
  brand: string;
  /** CSRF token for the page's forms. */
  csrf: string;
  /** Path (no query) the language switcher links back to; omitted on pages that must not reload. */
  path?: string;
  /** Signed-in member's name, for the header. */
  memberName?: string;
}

/** The page shell: phone-first, no inline script or style (CSP), brand colours from /static/theme.css. */
export function layout(
  page: PageContext,
  title: string,
  body: SafeHtml,
  options: { script?: string; scripts?: string[] } = {},
): string {
  const switcher = page.path
    ? html`<nav class="langs" aria-label="Language">${LOCALES.map((l) =>
        l === page.locale
          ? html`<strong>${MESSAGES[l].languageName}</strong>`
          : html`<a href="${page.path}?lang=${l}" hreflang="${l}">${MESSAGES[l].languageName}</a>`,
      )}</nav>`
    : '';
  const account = page.memberName
    ? html`<a href="/member">${page.t('memberPage')}</a>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${page.csrf}"><button class="link">${page.t('logOut')}</button></form>`
    : '';
  return html`<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="csrf-token" content="${page.csrf}">
<title>${title} · ${page.brand}</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="stylesheet" href="/static/theme.css">
${[...(options.script ? [options.script] : []), ...(options.scripts ?? [])].map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<header class="bar"><a class="brand" href="/">${page.brand}</a><span class="account">${account}</span></header>
<main>
${body}
</main>
<footer>${switcher}</footer>
</body>
</html>`.toString();
}
