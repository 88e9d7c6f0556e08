/** Query parameters whose values are tokens or secrets (binding page, wallet callback, OAuth). */
const SECRET_QUERY_KEYS = new Set(['token', 'nonce', 'idToken', 'id_token', 'code', 'access_token']);

/**
 * A request URL as it may appear in logs, shared by the platform and the reference merchant: one-time
 * keys in paths keep only their last 4 digits, and the values of query parameters that carry tokens
 * (the binding page's `token` and `nonce`, the wallet callback's `token`) are replaced. Logs never
 * contain secrets, tokens or full codes.
 *
 * @example
 * ```ts
 * redactUrl('/mycard/bind?nonce=n&callback=c&token=eyJ…'); // '/mycard/bind?nonce=%5Bredacted%5D&callback=c&token=%5Bredacted%5D'
 * ```
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(
    /\/v1\/onetimekeys\/\d{14}(\d{4})/,
    (_m, last4: string) => `/v1/onetimekeys/**************${last4}`,
  );
  if (q < 0) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of params.keys()) if (SECRET_QUERY_KEYS.has(key)) params.set(key, '[redacted]');
  return `${path}?${params.toString()}`;
}
