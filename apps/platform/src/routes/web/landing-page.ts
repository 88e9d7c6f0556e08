import { createHash } from 'node:crypto';
import { createTranslator, isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '@mycard/web-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DevelopmentLanding, PlatformContext } from '../../context.js';
import { en, LANDING_MESSAGES, type LandingKey } from './landing-messages.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The page's only style (phone first, light and dark), allowed by its hash in the CSP. */
const STYLE = `
:root{color-scheme:light dark;--bg:#f3f4f6;--card:#fff;--text:#111827;--muted:#4b5563;--accent:#047857;--line:#e5e7eb}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--card:#111827;--text:#f3f4f6;--muted:#9ca3af;--accent:#34d399;--line:#1f2937}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK TC","Noto Sans Thai",sans-serif}
main{max-width:40rem;margin:0 auto;padding:1.25rem 1rem 2rem}
h1{font-size:1.6rem;margin:.25rem 0 .5rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
p{margin:.25rem 0 .75rem}
.muted{color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:1rem;margin:1rem 0}
ul{list-style:none;margin:0;padding:0}
li{padding:.6rem 0;border-top:1px solid var(--line)}
li:first-child{border-top:0;padding-top:0}
a{color:var(--accent);font-weight:600}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:.35rem .75rem;margin:0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
nav.langs{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-top:1.25rem}
nav.langs strong{font-weight:700}
`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** `?lang=` (the switcher), then Accept-Language (`zh-Hant`, `zh-HK` → zh-TW), then English. */
function pageLanguage(request: FastifyRequest): Language {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(query)) return query;
  const header = request.headers['accept-language'] ?? '';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((x) => x.tag && x.tag !== '*' && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh-TW';
    if (primary === 'en' || primary === 'ja' || primary === 'th') return primary;
  }
  return 'en';
}

/**
 * `GET /` (issue 11 item 13): in development a small phone-first page in the four languages that
 * links the parts of the system — the wallet, the console, the API docs — and, when `npm start`
 * runs the reference merchant beside the platform (it fills `ctx.landing`), the demo merchant's
 * pages and the demo logins, so opening the platform's address shows where to go instead of a JSON
 * 4004. In production a redirect to the wallet (the only page people open).
 */
export function registerLandingPage(app: FastifyInstance, ctx: PlatformContext): void {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    if (ctx.config.mode === 'production') return reply.redirect('/wallet/', 302);
    const language = pageLanguage(request);
    const t = createTranslator<LandingKey>(language, LANDING_MESSAGES[language], en);
    const e = (key: LandingKey, values?: Record<string, string>) => escapeHtml(t(key, values));
    const links = (
      [
        ['/wallet/', 'wallet'],
        ['/console/', 'console'],
        ['/docs', 'docs'],
      ] as const
    )
      .map(
        ([href, part]) =>
          `<li><a href="${href}">${e(`${part}.name`)}</a><br><span class="muted">${e(`${part}.what`)}</span></li>`,
      )
      .join('\n');
    const switcher = LANGUAGES.map((l) =>
      l === language
        ? `<strong>${LANGUAGE_NAMES[l]}</strong>`
        : `<a href="/?lang=${l}" hreflang="${l}" lang="${l}">${LANGUAGE_NAMES[l]}</a>`,
    ).join('');
    const page = `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e('title')}</title><style>${STYLE}</style></head>
<body><main><h1>My Card</h1><p class="muted">${e('lead', { url: ctx.config.publicUrl })}</p>
<section><ul>
${links}
</ul></section>
${demoSections(ctx.landing, e)}
<p class="muted">${e('note')}</p>
<nav class="langs" aria-label="${e('language')}">${switcher}</nav>
</main></body></html>`;
    return reply
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      )
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(page);
  });
}

function demoSections(
  landing: DevelopmentLanding | undefined,
  e: (key: LandingKey, values?: Record<string, string>) => string,
): string {
  const merchant = landing?.merchant;
  if (!merchant) return `<section><p class="muted">${e('merchant.none')}</p></section>`;
  const link = (href: string, key: LandingKey) =>
    `<li><a href="${escapeHtml(href)}">${e(key)}</a><br><span class="mono muted">${escapeHtml(href)}</span></li>`;
  const logins = landing.logins ?? [];
  const rows = logins
    .map(
      (l) =>
        `<dt>${e(l.role)}</dt><dd><span class="mono">${escapeHtml(l.login)}</span>${
          l.password ? ` / <span class="mono">${escapeHtml(l.password)}</span>` : ''
        }</dd>`,
    )
    .join('');
  return `<section><h2>${e('merchant.heading', { name: merchant.name })}</h2>
<p class="muted">${e('merchant.what')}</p>
<ul>${link(merchant.memberSite, 'merchant.memberSite')}${link(merchant.bindingPage, 'merchant.binding')}${link(merchant.pos, 'merchant.pos')}</ul></section>
<section><h2>${e('logins.heading')}</h2><dl>${rows}<dt>${e('logins.wallet')}</dt><dd>${e('logins.walletAny')}</dd></dl></section>`;
}
