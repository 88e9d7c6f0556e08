/** A member's login: an e-mail address or a phone number, normalized for storage and lookup. */
export type LoginId = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;
const PHONE = /^\+?[0-9]{8,15}$/;

/**
 * Parses what the member typed into the login field. E-mail addresses are lower-cased (mailbox
 * providers treat them case-insensitively in practice); phone numbers lose spaces, dashes,
 * dots and brackets. Anything else is `undefined`.
 *
 * @example
 * ```ts
 * parseLoginId('Amy@Example.com'); // { kind: 'email', value: 'amy@example.com' }
 * parseLoginId('0912-345 678');    // { kind: 'phone', value: '0912345678' }
 * ```
 */
export function parseLoginId(input: string): LoginId | undefined {
  const text = input.trim();
  if (text.includes('@')) return EMAIL.test(text) ? { kind: 'email', value: text.toLowerCase() } : undefined;
  const phone = text.replace(/[\s\-.()]/g, '');
  return PHONE.test(phone) ? { kind: 'phone', value: phone } : undefined;
}
