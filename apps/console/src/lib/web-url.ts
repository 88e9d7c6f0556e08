/** The platform's rule for program URLs (PROTOCOL.md §7), the very function the API uses. */
export { checkProgramUrl as checkWebUrl, type ProgramUrlProblem as WebUrlProblem } from '@mycard/protocol';

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
