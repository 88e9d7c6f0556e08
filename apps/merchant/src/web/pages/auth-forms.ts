import { html, type SafeHtml } from '../html.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';

export interface AuthFormOptions {
  action: string;
  error?: MessageKey | undefined;
  login?: string | undefined;
  displayName?: string | undefined;
}

export function errorBox(page: PageContext, error: MessageKey | undefined): SafeHtml | '' {
  return error ? html`<p class="error" role="alert">${page.t(error, { brand: page.brand })}</p>` : '';
}

export function loginForm(page: PageContext, o: AuthFormOptions): SafeHtml {
  return html`<form method="post" action="${o.action}" class="card">
  <h2>${page.t('logIn')}</h2>
  ${errorBox(page, o.error)}
  <input type="hidden" name="_csrf" value="${page.csrf}">
  <label for="login-id">${page.t('loginId')}</label>
  <input id="login-id" name="login" autocomplete="username" required maxlength="254" value="${o.login ?? ''}">
  <label for="login-password">${page.t('password')}</label>
  <input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="256">
  <button type="submit">${page.t('logIn')}</button>
</form>`;
}

export function signupForm(page: PageContext, o: AuthFormOptions): SafeHtml {
  return html`<form method="post" action="${o.action}" class="card">
  <h2>${page.t('signUp')}</h2>
  ${errorBox(page, o.error)}
  <input type="hidden" name="_csrf" value="${page.csrf}">
  <label for="signup-name">${page.t('displayName')}</label>
  <input id="signup-name" name="displayName" autocomplete="name" required maxlength="40" value="${o.displayName ?? ''}">
  <label for="signup-id">${page.t('loginId')}</label>
  <input id="signup-id" name="login" autocomplete="username" required maxlength="254" value="${o.login ?? ''}">
  <label for="signup-password">${page.t('password')}</label>
  <input id="signup-password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="256">
  <p class="hint">${page.t('passwordHint')}</p>
  <button type="submit">${page.t('createAccount')}</button>
</form>`;
}
