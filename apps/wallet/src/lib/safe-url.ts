/**
 * Merchant-supplied links are shown only when they are absolute http(s) URLs: no `javascript:`,
 * `data:`, `vbscript:` or relative tricks (issue #4, "Security in the browser"). Returns the
 * normalised URL or undefined.
 */
export function safeHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}

/** A message's link (PROTOCOL.md §11): opened only when it is an https URL without credentials. */
export function safeHttpsUrl(value: unknown): string | undefined {
  const url = safeHttpUrl(value);
  return url?.startsWith('https://') ? url : undefined;
}

/** A logo or banner URL: same-origin paths of the platform (`/v1/programs/…/logo`, `/v1/bundles/…/banner`) or http(s). */
export function safeImageUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\/v1\/programs\/[0-9]{10}\/logo(\?[A-Za-z0-9=&._-]*)?$/.test(value)) return value;
  if (/^\/v1\/bundles\/bd_[A-Za-z0-9_-]{16}\/banner$/.test(value)) return value;
  // A group participant's logo (PROTOCOL.md §8, "Use this card at").
  if (/^\/v1\/participants\/pt_[A-Za-z0-9_-]{16}\/logo(\?[A-Za-z0-9=&._-]*)?$/.test(value)) return value;
  return safeHttpUrl(value);
}

/** A CSS hex colour (#rgb or #rrggbb), or the fallback. */
export function safeColor(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value) ? value : fallback;
}
