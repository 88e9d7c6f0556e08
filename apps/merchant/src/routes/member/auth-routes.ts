import type { FastifyInstance } from 'fastify';
import type { MerchantContext } from '../../context.js';
import { redirectWithFlash, takeFlash } from '../../web/form-flash.js';
import { html } from '../../web/html.js';
import { layout } from '../../web/layout.js';
import type { LoginThrottle } from '../../web/login-throttle.js';
import { loginForm, signupForm } from '../../web/pages/auth-forms.js';
import {
  currentMember,
  endSession,
  hasValidCsrf,
  pageContext,
  seeOther,
  sendPage,
} from '../../web/request-context.js';
import { AUTH_FORM_BODY, type AuthForm, flashOf, logInFromForm, signUpFromForm } from './auth-actions.js';

/** Home, sign-up, log-in and log-out of the member site. */
export function registerAuthRoutes(
  app: FastifyInstance,
  ctx: MerchantContext,
  throttle: LoginThrottle,
): void {
  app.get('/', async (request, reply) => {
    const member = await currentMember(ctx, request);
    const page = pageContext(ctx, request, reply, { path: '/', ...(member ? { member } : {}) });
    const body = html`<h1>${page.t('welcome', { brand: page.brand })}</h1>
<p>${page.t('welcomeText')}</p>
${
  member
    ? html`<a class="button" href="/member">${page.t('memberPage')}</a>`
    : html`<a class="button" href="/signup">${page.t('signUp')}</a>
<a class="button secondary" href="/login">${page.t('logIn')}</a>`
}`;
    return sendPage(reply, 200, layout(page, page.brand, body));
  });

  app.get('/login', async (request, reply) => {
    if (await currentMember(ctx, request)) return seeOther(reply, '/member');
    const flash = takeFlash(request, reply, ctx);
    const page = pageContext(ctx, request, reply, { path: '/login' });
    const body = html`<h1>${page.t('logIn')}</h1>${loginForm(page, { action: '/login', ...flash })}
<p><a href="/signup">${page.t('noAccount')}</a></p>`;
    return sendPage(reply, 200, layout(page, page.t('logIn'), body));
  });

  app.post<{ Body: AuthForm }>('/login', { schema: { body: AUTH_FORM_BODY } }, async (request, reply) => {
    const outcome = await logInFromForm(ctx, request, reply, request.body, throttle);
    if (outcome.ok) return seeOther(reply, '/member');
    return redirectWithFlash(ctx, reply, '/login', flashOf(outcome, 'login'));
  });

  app.get('/signup', async (request, reply) => {
    if (await currentMember(ctx, request)) return seeOther(reply, '/member');
    const flash = takeFlash(request, reply, ctx);
    const page = pageContext(ctx, request, reply, { path: '/signup' });
    const body = html`<h1>${page.t('signUp')}</h1>${signupForm(page, { action: '/signup', ...flash })}
<p><a href="/login">${page.t('haveAccount')}</a></p>`;
    return sendPage(reply, 200, layout(page, page.t('signUp'), body));
  });

  app.post<{ Body: AuthForm }>('/signup', { schema: { body: AUTH_FORM_BODY } }, async (request, reply) => {
    const outcome = await signUpFromForm(ctx, request, reply, request.body, throttle);
    if (outcome.ok) return seeOther(reply, '/member');
    return redirectWithFlash(ctx, reply, '/signup', flashOf(outcome, 'signup'));
  });

  app.post<{ Body: AuthForm }>('/logout', { schema: { body: AUTH_FORM_BODY } }, async (request, reply) => {
    if (!hasValidCsrf(ctx, request, request.body._csrf)) return seeOther(reply, '/');
    await endSession(ctx, request, reply, 'member');
    return seeOther(reply, '/');
  });
}
