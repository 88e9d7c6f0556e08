/**
 * Why a program URL is refused: see {@link checkProgramUrl}.
 *
 * @example
 * ```ts
 * const problem: ProgramUrlProblem | undefined = checkProgramUrl(form.bindingUrl);
 * if (problem === 'scheme') showError('Use https (http only for localhost).');
 * ```
 */
export type ProgramUrlProblem = 'characters' | 'syntax' | 'scheme' | 'credentials';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The rule for every URL a program registers (PROTOCOL.md §7: binding website URL, webhook URL,
 * custom detail page, template links): printable ASCII without spaces (nothing `new URL()` would
 * silently trim or re-encode), `https:` — `http:` only for localhost, 127.0.0.1 and [::1] — and no
 * user name or password. Returns the problem, or undefined when the URL is acceptable. The platform
 * enforces it; the console checks with the same function before submitting.
 *
 * @example
 * ```ts
 * checkProgramUrl('javascript:alert(1)'); // 'scheme'
 * checkProgramUrl('http://shop.example/bind'); // 'scheme' (http only for localhost)
 * checkProgramUrl('https://shop.example/bind'); // undefined
 * ```
 */
export function checkProgramUrl(value: string): ProgramUrlProblem | undefined {
  if (!/^[\x21-\x7e]+$/.test(value)) return 'characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'syntax';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return 'scheme';
  }
  if (url.username !== '' || url.password !== '') return 'credentials';
  return undefined;
}
