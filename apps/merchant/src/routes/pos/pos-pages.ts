import type { FastifyInstance } from 'fastify';
import type { MerchantContext } from '../../context.js';
import { authenticateOperator } from '../../members/operators.js';
import { destroySession, loadSession } from '../../sessions/session-store.js';
import { html } from '../../web/html.js';
import { MESSAGES } from '../../web/i18n.js';
import { layout, type PageContext } from '../../web/layout.js';
import type { LoginThrottle } from '../../web/login-throttle.js';
import type { MessageKey } from '../../web/messages/en.js';
import { errorBox } from '../../web/pages/auth-forms.js';
import {
  endSession,
  hasValidCsrf,
  pageContext,
  SESSION_COOKIES,
  seeOther,
  sendPage,
  startSession,
} from '../../web/request-context.js';

function loginPage(page: PageContext, error?: MessageKey, username = ''): string {
  const body = html`<h1>${page.t('posLogin')}</h1>
<form method="post" action="/pos/login" class="card">
${errorBox(page, error)}
<input type="hidden" name="_csrf" value="${page.csrf}">
<label for="username">${page.t('username')}</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${username}">
<label for="password">${page.t('password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit">${page.t('logIn')}</button>
</form>`;
  return layout(page, page.t('posLogin'), body);
}

function tillPage(page: PageContext, operator: string, currency: string): string {
  const body = html`<h1>${page.t('till')}</h1>
<p class="hint">${page.t('operator', { name: operator })}</p>
<form id="till" class="card" data-currency="${currency}" autocomplete="off">
<label for="code">${page.t('code')}</label>
<input id="code" name="code" inputmode="numeric" maxlength="256" autofocus>
<button type="button" id="scan" class="secondary" hidden data-start="${page.t('scan')}" data-stop="${page.t('stopScan')}">${page.t('scan')}</button>
<video id="camera" class="scanner" hidden muted playsinline></video>
<label for="orderId">${page.t('orderId')}</label>
<input id="orderId" name="orderId" maxlength="64" required>
<label for="amount">${page.t('amount', { currency })}</label>
<input id="amount" name="amount" inputmode="numeric" pattern="[0-9]*">
<button type="submit" data-action="accrue">${page.t('accrue')}</button>
<label for="points">${page.t('pointsToRedeem')}</label>
<input id="points" name="points" inputmode="numeric" pattern="[0-9]*">
<button type="button" data-action="redeem" class="secondary">${page.t('redeem')}</button>
<label for="refund">${page.t('refundAmount')}</label>
<input id="refund" name="refund" inputmode="numeric" pattern="[0-9]*">
<button type="button" data-action="reverse" class="secondary">${page.t('reverse')}</button>
</form>
<p id="result" hidden role="status" aria-live="polite" data-messages="${JSON.stringify(tillMessages(page))}"></p>
<form method="post" action="/pos/logout"><input type="hidden" name="_csrf" value="${page.csrf}">
<button class="link" type="submit">${page.t('logOut')}</button></form>`;
  return layout(page, page.t('till'), body, { script: '/static/pos.js' });
}

/** The till script's texts in the page's language: API error codes, entry kinds, balance lines. */
function tillMessages(page: PageContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(MESSAGES.en) as MessageKey[]) {
    if (key.startsWith('pos_') || key.startsWith('kind_')) out[key] = page.t(key);
  }
  out.pointsValue = page.t('pointsValue');
  out.posBalance = page.t('posBalance');
  out.posRefunded = page.t('posRefunded');
  return out;
}

const FORM_BODY = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 100 },
    username: { type: 'string', maxLength: 64 },
    password: { type: 'string', maxLength: 256 },
  },
  additionalProperties: false,
} as const;

/** The till: `/pos` (operator login, then the till page whose script calls /api/pos). */
export function registerPosPages(app: FastifyInstance, ctx: MerchantContext, throttle: LoginThrottle): void {
  app.get('/pos', async (request, reply) => {
    const operatorId = await loadSession(
      ctx.db,
      'operator',
      request.cookies[SESSION_COOKIES.operator],
      ctx.now(),
    );
    const page = pageContext(ctx, request, reply, { path: '/pos' });
    if (operatorId === undefined) return sendPage(reply, 200, loginPage(page));
    const operator = await ctx.db
      .selectFrom('operators')
      .select('display_name')
      .where('id', '=', operatorId)
      .executeTakeFirstOrThrow();
    return sendPage(reply, 200, tillPage(page, operator.display_name, ctx.config.currency));
  });

  app.post<{ Body: { _csrf?: string; username?: string; password?: string } }>(
    '/pos/login',
    { schema: { body: FORM_BODY } },
    async (request, reply) => {
      const page = pageContext(ctx, request, reply);
      const username = request.body.username ?? '';
      if (!hasValidCsrf(ctx, request, request.body._csrf))
        return sendPage(reply, 403, loginPage(page, 'errCsrf', username));
      const key = `pos:${username}`;
      if (!throttle.begin(key, request.ip, ctx.now().getTime()))
        return sendPage(reply, 429, loginPage(page, 'errTooMany', username));
      const operator = await authenticateOperator(ctx.db, username, request.body.password ?? '');
      if (!operator) return sendPage(reply, 401, loginPage(page, 'errLogin', username));
      throttle.succeeded(key, request.ip);
      await destroySession(ctx.db, request.cookies[SESSION_COOKIES.operator]);
      await startSession(ctx, request, reply, 'operator', operator.id);
      return seeOther(reply, '/pos');
    },
  );

  app.post<{ Body: { _csrf?: string } }>(
    '/pos/logout',
    { schema: { body: FORM_BODY } },
    async (request, reply) => {
      if (hasValidCsrf(ctx, request, request.body._csrf)) {
        await endSession(ctx, request, reply, 'operator');
      }
      return seeOther(reply, '/pos');
    },
  );
}
