import { maskMembershipCode } from '@mycard/protocol';
import type { Member } from '../../db/schema.js';
import { html, type SafeHtml } from '../../web/html.js';
import { layout, type PageContext } from '../../web/layout.js';
import type { MessageKey } from '../../web/messages/en.js';
import { errorBox, loginForm, signupForm } from '../../web/pages/auth-forms.js';
import type { AuthOutcome } from '../member/auth-actions.js';

function cancelForm(page: PageContext): SafeHtml {
  return html`<form method="post" action="/mycard/bind/cancel"><input type="hidden" name="_csrf" value="${page.csrf}">
<button class="secondary" type="submit" id="cancel">${page.t('cancel')}</button></form>`;
}

/** Log in or sign up, naming the store card being added to the wallet. */
export function bindAuthPage(
  page: PageContext,
  failed?: { form: 'login' | 'signup'; outcome: AuthOutcome },
): string {
  const err = failed && !failed.outcome.ok ? failed.outcome : undefined;
  const body = html`<h1>${page.t('bindTitle', { brand: page.brand })}</h1>
<p>${page.t('bindIntro', { brand: page.brand })}</p>
${loginForm(page, { action: '/mycard/bind/login', ...(failed?.form === 'login' ? err : {}) })}
${signupForm(page, { action: '/mycard/bind/signup', ...(failed?.form === 'signup' ? err : {}) })}
${cancelForm(page)}`;
  return layout(page, page.t('bindTitle', { brand: page.brand }), body);
}

/** A signed-in member confirms adding their card. */
export function bindConfirmPage(page: PageContext, member: Member): string {
  const body = html`<h1>${page.t('bindTitle', { brand: page.brand })}</h1>
<p class="card">${page.t('bindAs', { brand: page.brand, name: member.display_name, code: maskMembershipCode(member.membership_code) })}</p>
<p id="bind-account">${page.t('bindSignedInAs', { login: member.email ?? member.phone ?? '' })}</p>
<form method="post" action="/mycard/bind/apply"><input type="hidden" name="_csrf" value="${page.csrf}">
<button type="submit" id="apply">${page.t('bindConfirm')}</button></form>
<form method="post" action="/mycard/bind/switch"><input type="hidden" name="_csrf" value="${page.csrf}">
<button class="secondary" type="submit">${page.t('bindOther')}</button></form>
${cancelForm(page)}`;
  return layout(page, page.t('bindTitle', { brand: page.brand }), body);
}

/** A dead end that offers nothing but a sentence: invalid link, expired request, no request. */
export function bindMessagePage(page: PageContext, title: MessageKey, text: MessageKey): string {
  const body = html`<h1 id="bind-error" data-reason="${title}">${page.t(title)}</h1>
<p>${page.t(text, { brand: page.brand })}</p>`;
  return layout(page, page.t(title), body);
}

/** Apply failed: say why, then let the member return to the wallet with status=FAIL. */
export function applyFailedPage(page: PageContext, reason: MessageKey): string {
  const body = html`<h1 id="apply-failed" data-reason="${reason}">${page.t('applyFailedTitle')}</h1>
${errorBox(page, reason)}
<p>${page.t('applyFailedNext')}</p>
<form method="post" action="/mycard/bind/fail"><input type="hidden" name="_csrf" value="${page.csrf}">
<button type="submit" id="back-to-wallet">${page.t('backToWallet')}</button></form>`;
  return layout(page, page.t('applyFailedTitle'), body);
}
