import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

/** A 256-bit random opaque token, base64url (43 chars): sessions, completion tokens, verifiers. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a token, base64url: what the database stores instead of the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** HMAC-SHA256, base64url. */
export function hmacBase64Url(key: Buffer | string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64url');
}

/** A random string of `length` decimal digits (leading zeros allowed), uniformly distributed. */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/** A 10-digit channel id whose first digit is not zero. */
export function newChannelId(): string {
  return String(randomInt(1, 10)) + randomDigits(9);
}

/** A 256-bit channel secret as 64 hex characters (PROTOCOL.md §3). */
export function newChannelSecret(): string {
  return randomBytes(32).toString('hex');
}
