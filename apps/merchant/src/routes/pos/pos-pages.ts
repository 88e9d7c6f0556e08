import type { FastifyInstance } from 'fastify';
import type { MerchantContext } from '../../context.js';
import { authenticateOperator } from '../../members/operators.js';
import { destroySession, loadSession } from '../../sessions/session-store.js';
import type { Store } from '../../stores/stores.js';
import { redirectWithFlash, takeFlash } from '../../web/form-flash.js';
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
import { chooseStore, sessionStore } from '../api-pos/pos-api-routes.js';

function loginPage(
  page: PageContext,
  stores: readonly Store[],
  error?: MessageKey,
  username = '',
  storeId = '',
): string {
  // A group's shop (PROTOCOL.md §8): the till says which store it is in.
  const storeField = stores.length
    ? html`<label for="storeId">${page.t('store')}</label>
<select id="storeId" name="storeId" required>
${stores.map((s) => html`<option value="${s.storeId}"${s.storeId === storeId ? html` selected` : ''}>${s.name}</option>`)}
</select>`
    : '';
  const body = html`<h1>${page.t('posLogin')}</h1>
<form method="post" action="/pos/login" class="card">
${errorBox(page, error)}
<input type="hidden" name="_csrf" value="${page.csrf}">
${storeField}
<label for="username">${page.t('username')}</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${username}">
<label for="password">${page.t('password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit">${page.t('logIn')}</button>
</form>`;
  return layout(page, page.t('posLogin'), body);
}

function tillPage(page: PageContext, operator: string, currency: string, store?: Store): string {
  const body = html`<div id="result" class="banner" hidden role="status" aria-live="polite" aria-atomic="true" tabindex="-1" data-messages="${JSON.stringify(tillMessages(page))}"></div>
<h1>${page.t('till')}</h1>
<p class="hint">${page.t('operator', { name: operator })}</p>
${store ? html`<p class="hint" id="till-store">${page.t('storeAt', { name: store.name })}</p>` : ''}
<form id="till" class="card" data-currency="${currency}" autocomplete="off" novalidate>
<label for="code">${page.t('code')}</label>
<div class="scan-row">
<input id="code" name="code" inputmode="numeric" maxlength="256" autofocus enterkeyhint="next" aria-describedby="code-hint">
<button type="button" id="scan" class="secondary" data-start="${page.t('scan')}" data-stop="${page.t('stopScan')}">${page.t('scan')}</button>
</div>
<p class="hint" id="code-hint">${page.t('codeHint')}</p>
<div id="camera-box" class="camera" hidden>
<video id="camera" class="scanner" muted playsinline></video>
<div class="camera-tools">
<button type="button" id="torch" class="secondary" hidden aria-pressed="false">${page.t('torch')}</button>
<button type="button" id="switch-camera" class="secondary" hidden>${page.t('switchCamera')}</button>
</div>
</div>
<label for="amount">${page.t('amount', { currency })}</label>
<input id="amount" name="amount" inputmode="numeric" pattern="[0-9]*" maxlength="12" enterkeyhint="done">
<details class="more"><summary>${page.t('orderId')}</summary>
<input id="orderId" name="orderId" maxlength="64" aria-label="${page.t('orderId')}">
</details>
<button type="submit" data-action="accrue">${page.t('accrue')}</button>
<label for="points">${page.t('pointsToRedeem')}</label>
<input id="points" name="points" inputmode="numeric" pattern="[0-9]*" maxlength="12">
<button type="button" data-action="redeem" class="secondary">${page.t('redeem')}</button>
</form>
<section class="card" id="refunds" aria-labelledby="refunds-title">
<h2 id="refunds-title">${page.t('refundTitle')}</h2>
<label for="refund-sale">${page.t('refundSale')}</label>
<select id="refund-sale"><option value="">${page.t('refundPick')}</option></select>
<label for="refund">${page.t('refundAmount')}</label>
<input id="refund" name="refund" inputmode="numeric" pattern="[0-9]*" maxlength="12">
<button type="button" id="refund-button" class="secondary">${page.t('reverse')}</button>
</section>
<form method="post" action="/pos/logout"><input type="hidden" name="_csrf" value="${page.csrf}">
<button class="link" type="submit">${page.t('logOut')}</button></form>`;
  return layout(page, page.t('till'), body, { scripts: ['/static/zxing-reader.js', '/static/pos.js'] });
}

/** The till script's texts in the page's language: API error codes, entry kinds, receipt lines. */
function tillMessages(page: PageContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(MESSAGES.en) as MessageKey[]) {
    if (key.startsWith('pos') || key.startsWith('kind_')) out[key] = page.t(key);
  }
  out.pointsValue = page.t('pointsValue');
  out.reverse = page.t('reverse');
  return out;
}

const FORM_BODY = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 100 },
    username: { type: 'string', maxLength: 64 },
    password: { type: 'string', maxLength: 256 },
    storeId: { type: 'string', maxLength: 64 },
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
    if (operatorId === undefined) {
      const flash = takeFlash(request, reply, ctx);
      return sendPage(
        reply,
        200,
        loginPage(page, ctx.stores ?? [], flash?.error, flash?.login, flash?.store),
      );
    }
    const operator = await ctx.db
      .selectFrom('operators')
      .select('display_name')
      .where('id', '=', operatorId)
      .executeTakeFirstOrThrow();
    const store = await sessionStore(ctx, request.cookies[SESSION_COOKIES.operator]);
    return sendPage(reply, 200, tillPage(page, operator.display_name, ctx.config.currency, store));
  });

  app.post<{ Body: { _csrf?: string; username?: string; password?: string; storeId?: string } }>(
    '/pos/login',
    { schema: { body: FORM_BODY } },
    async (request, reply) => {
      const username = request.body.username ?? '';
      const storeId = request.body.storeId ?? '';
      // Post/redirect/get: a refusal goes back to the login page with the error (issue 11 item 9).
      const refuse = (error: MessageKey) =>
        redirectWithFlash(ctx, reply, '/pos', { error, login: username, store: storeId });
      if (!hasValidCsrf(ctx, request, request.body._csrf)) return refuse('errCsrf');
      let store: Store | undefined;
      try {
        store = chooseStore(ctx, request.body.storeId);
      } catch {
        return refuse('errStore');
      }
      const key = `pos:${username}`;
      if (!throttle.begin(key, request.ip, ctx.now().getTime())) return refuse('errTooMany');
      const operator = await authenticateOperator(
        ctx.db,
        username,
        request.body.password ?? '',
        ctx.config.passwordCost,
      );
      if (!operator) return refuse('errPosLogin');
      throttle.succeeded(key, request.ip);
      await destroySession(ctx.db, request.cookies[SESSION_COOKIES.operator]);
      await startSession(ctx, request, reply, 'operator', operator.id, store?.storeId ?? null);
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
