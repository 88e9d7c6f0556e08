import { MyCardNetworkError } from '@mycard/merchant';
import { MyCardError } from '@mycard/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MerchantContext } from '../../context.js';
import type { Member } from '../../db/schema.js';
import { MerchantError } from '../../errors.js';
import { redirectWithFlash, takeFlash } from '../../web/form-flash.js';
import type { LoginThrottle } from '../../web/login-throttle.js';
import {
  currentMember,
  endSession,
  hasValidCsrf,
  pageContext,
  seeOther,
  sendPage,
} from '../../web/request-context.js';
import {
  AUTH_FORM_BODY,
  type AuthForm,
  type AuthOutcome,
  flashOf,
  logInFromForm,
  signUpFromForm,
} from '../member/auth-actions.js';
import { applyBinding } from './apply-binding.js';
import {
  type BindContext,
  callbackWithStatus,
  clearBindContext,
  isSafeCallback,
  loadBindContext,
  saveBindContext,
} from './bind-context.js';
import { applyFailedPage, bindAuthPage, bindConfirmPage, bindMessagePage } from './bind-pages.js';

/**
 * The binding website (PROTOCOL.md §4 steps 2–6) at `/mycard/bind`. The wallet opens it with
 * `nonce`, `callback`, `token`; the SDK verifies them; the verified context moves into a signed
 * cookie and the browser to the clean URL `/mycard/bind/start` (tokens out of the address bar).
 * Redirects go only to the callback from the verified claims.
 */
export function registerBindRoutes(
  app: FastifyInstance,
  ctx: MerchantContext,
  throttle: LoginThrottle,
): void {
  const channelId = () => ctx.platform.channelId ?? '';

  const message = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    kind: 'invalid' | 'expired' | 'missing' | 'unavailable',
  ) => {
    clearBindContext(ctx, reply);
    const page = pageContext(ctx, request, reply);
    const [title, text] = {
      invalid: ['bindInvalidTitle', 'bindInvalidText'],
      expired: ['bindExpiredTitle', 'bindExpiredText'],
      missing: ['bindMissingTitle', 'bindMissingText'],
      unavailable: ['applyFailedTitle', 'apply_unavailable'],
    }[kind] as ['bindInvalidTitle', 'bindInvalidText'];
    return sendPage(reply, status, bindMessagePage(page, title, text));
  };

  /** The live context, or a reply already sent. */
  const requireContext = (request: FastifyRequest, reply: FastifyReply): BindContext | undefined => {
    const bind = loadBindContext(request);
    // A post without a live context: redirect (post/redirect/get), the page says why.
    if ((!bind || bind.exp <= ctx.now().getTime()) && request.method === 'POST') {
      void seeOther(reply, '/mycard/bind/start');
      return undefined;
    }
    if (!bind) {
      void message(request, reply, 400, 'missing');
      return undefined;
    }
    if (bind.exp <= ctx.now().getTime()) {
      void message(request, reply, 410, 'expired');
      return undefined;
    }
    request.extraFormTargets = [new URL(bind.callback).origin];
    return bind;
  };

  const apply = async (reply: FastifyReply, bind: BindContext, member: Member) => {
    const outcome = await applyBinding(ctx, bind, member);
    if (outcome.ok) {
      clearBindContext(ctx, reply);
      return seeOther(reply, outcome.callbackUrl);
    }
    if (outcome.expired) return seeOther(reply, '/mycard/bind/start');
    return redirectWithFlash(ctx, reply, '/mycard/bind/start', {
      error: outcome.reason,
      reason: outcome.reason,
    });
  };

  app.get<{ Querystring: Record<string, unknown> }>('/mycard/bind', async (request, reply) => {
    const { nonce, callback, token } = request.query;
    try {
      const verified = await ctx.platform.verifyBindingRequest({ nonce, callback, token });
      if (!isSafeCallback(verified.callback)) {
        request.log.warn('binding request refused: callback is not an http(s) URL');
        return message(request, reply, 400, 'invalid');
      }
      saveBindContext(ctx, reply, token as string, verified);
      return seeOther(reply, '/mycard/bind/start');
    } catch (err) {
      if (err instanceof MerchantError) throw err;
      if (err instanceof MyCardNetworkError || !(err instanceof MyCardError)) {
        // The platform's keys could not be fetched (or a bug): not the member's fault, no redirect.
        request.log.warn({ err }, 'binding request could not be verified');
        return message(request, reply, 503, 'unavailable');
      }
      const expired = err.returnCode === '3002';
      request.log.info({ reason: err.code }, 'binding request refused');
      return message(request, reply, expired ? 410 : 400, expired ? 'expired' : 'invalid');
    }
  });

  app.get('/mycard/bind/start', async (request, reply) => {
    const bind = requireContext(request, reply);
    if (!bind) return reply;
    const member = await currentMember(ctx, request);
    const flash = takeFlash(request, reply, ctx);
    const page = pageContext(ctx, request, reply, {
      path: '/mycard/bind/start',
      ...(member ? { member } : {}),
    });
    if (member && flash?.reason) return sendPage(reply, 200, applyFailedPage(page, flash.error));
    if (member) return sendPage(reply, 200, bindConfirmPage(page, member));
    const form = flash?.form === 'signup' ? 'signup' : 'login';
    return sendPage(
      reply,
      200,
      bindAuthPage(page, flash ? { form, outcome: { ok: false, status: 200, ...flash } } : undefined),
    );
  });

  const authRoute = (path: string, form: 'login' | 'signup') =>
    app.post<{ Body: AuthForm }>(path, { schema: { body: AUTH_FORM_BODY } }, async (request, reply) => {
      const bind = requireContext(request, reply);
      if (!bind) return reply;
      const outcome: AuthOutcome =
        form === 'login'
          ? await logInFromForm(ctx, request, reply, request.body, throttle)
          : await signUpFromForm(ctx, request, reply, request.body, throttle);
      if (outcome.ok) return apply(reply, bind, outcome.member);
      return redirectWithFlash(ctx, reply, '/mycard/bind/start', flashOf(outcome, form));
    });
  authRoute('/mycard/bind/login', 'login');
  authRoute('/mycard/bind/signup', 'signup');

  app.post<{ Body: AuthForm }>(
    '/mycard/bind/apply',
    { schema: { body: AUTH_FORM_BODY } },
    async (request, reply) => {
      const bind = requireContext(request, reply);
      if (!bind) return reply;
      const member = await currentMember(ctx, request);
      if (!member || !hasValidCsrf(ctx, request, request.body._csrf))
        return seeOther(reply, '/mycard/bind/start');
      return apply(reply, bind, member);
    },
  );

  app.post<{ Body: AuthForm }>(
    '/mycard/bind/switch',
    { schema: { body: AUTH_FORM_BODY } },
    async (request, reply) => {
      if (hasValidCsrf(ctx, request, request.body._csrf)) {
        await endSession(ctx, request, reply, 'member');
      }
      return seeOther(reply, '/mycard/bind/start');
    },
  );

  // Cancel and "back to My Card" after a failure: the claims' callback with the binding token.
  for (const [path, status] of [
    ['/mycard/bind/cancel', 'CANCEL'],
    ['/mycard/bind/fail', 'FAIL'],
  ] as const) {
    app.post<{ Body: AuthForm }>(path, { schema: { body: AUTH_FORM_BODY } }, async (request, reply) => {
      const bind = loadBindContext(request);
      if (!bind) return message(request, reply, 400, 'missing');
      if (!hasValidCsrf(ctx, request, request.body._csrf)) return seeOther(reply, '/mycard/bind/start');
      request.extraFormTargets = [new URL(bind.callback).origin];
      clearBindContext(ctx, reply);
      return seeOther(reply, callbackWithStatus(bind, channelId(), status));
    });
  }
}
