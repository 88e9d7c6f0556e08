import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * `GET /` (issue 11 item 13): in development a small page that links the parts of the system —
 * the wallet, the console, the API docs — so opening the platform's address shows where to go
 * instead of a JSON 4004; in production a redirect to the wallet (the only page people open).
 * The demo merchant and its logins are printed by `npm start`, which knows them.
 */
export function registerLandingPage(app: FastifyInstance, ctx: PlatformContext): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    if (ctx.config.mode === 'production') return reply.redirect('/wallet/', 302);
    const base = escapeHtml(ctx.config.publicUrl);
    const links = [
      ['/wallet/', 'The wallet (My Card)', 'Sign in as a demo user, add cards, show My Code.'],
      ['/console/', 'The merchant console', 'Register a card program, get its credentials.'],
      ['/docs', 'API docs', 'The platform API (OpenAPI).'],
    ]
      .map(([href, name, what]) => `<li><a href="${href}">${name}</a><br><span>${what}</span></li>`)
      .join('\n');
    const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>My Card — development</title></head>
<body><main><h1>My Card</h1><p>Development platform at ${base}.</p>
<ul>
${links}
</ul>
<p>The demo merchant (Demo Mart: member site, binding page, POS) and the demo logins are printed by <code>npm start</code>.</p>
</main></body></html>`;
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; base-uri 'none'; frame-ancestors 'none'")
      .type('text/html; charset=utf-8')
      .send(page);
  });
}
