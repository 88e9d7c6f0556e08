import type { Language } from '@mycard/web-kit';

/**
 * When a refused action may be tried again, as people say it ("in 3 hours", "in 5 minutes"), from a
 * Retry-After in seconds: minutes below an hour, hours above, always rounded up (never too early).
 */
export function retryWait(seconds: number, language: Language): string {
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return format.format(s, 'second');
  if (s < 3600) return format.format(Math.ceil(s / 60), 'minute');
  return format.format(Math.ceil(s / 3600), 'hour');
}
