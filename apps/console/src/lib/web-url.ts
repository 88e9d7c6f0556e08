/**
 * The platform's rule for every URL a program registers (binding page, webhook, custom detail page,
 * template links): printable ASCII without spaces, `https:` — `http:` only for localhost,
 * 127.0.0.1 and [::1] — and no credentials. Mirrors `checkWebUrl` of the console API so the form
 * says no before the server does.
 */
export type WebUrlProblem = 'characters' | 'syntax' | 'scheme' | 'credentials';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function checkWebUrl(value: string): WebUrlProblem | undefined {
  if (!/^[\x21-\x7e]+$/.test(value)) return 'characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'syntax';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    return 'scheme';
  if (url.username !== '' || url.password !== '') return 'credentials';
  return undefined;
}

/**
 * The href a merchant-supplied link may be given in a preview: only absolute http(s) URLs; anything
 * else (`javascript:`, `data:`, relative paths) is shown as plain text instead of a link.
 */
export function safeLinkHref(value: string): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
