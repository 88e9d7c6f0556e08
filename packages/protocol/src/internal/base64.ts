/**
 * Strict Base64 and Base64url codecs over `Uint8Array` (internal).
 *
 * Strict means: only the alphabet of the variant, the exact padding of the variant, and no
 * non-zero trailing bits — so that one byte string has exactly one accepted text form. Decoders
 * return `undefined` instead of throwing because their input is usually attacker-controlled.
 */

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function lookupTable(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const STANDARD_LOOKUP = lookupTable(STANDARD);
const URL_SAFE_LOOKUP = lookupTable(URL_SAFE);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  // Indexes stay inside `bytes` (the loop bounds) and inside the 64-character alphabet (6-bit
  // masks), so `byteAt` and `charAt` never fall back.
  const byteAt = (i: number): number => bytes[i] ?? 0;
  const char = (sextet: number): string => alphabet.charAt(sextet & 63);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (byteAt(i) << 16) | (byteAt(i + 1) << 8) | byteAt(i + 2);
    out += char(n >>> 18) + char(n >>> 12) + char(n >>> 6) + char(n);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = byteAt(i) << 16;
    out += char(n >>> 18) + char(n >>> 12) + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (byteAt(i) << 16) | (byteAt(i + 1) << 8);
    out += char(n >>> 18) + char(n >>> 12) + char(n >>> 6) + (pad ? '=' : '');
  }
  return out;
}

function decode(text: string, lookup: Int16Array): Uint8Array<ArrayBuffer> | undefined {
  // A length of 4n+1 characters can never be produced by an encoder.
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = lookup[c] ?? -1;
    if (v < 0) return undefined;
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  // Non-canonical: the unused trailing bits must be zero.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out.slice(0, o);
}

/** Standard Base64 with `=` padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  return encode(bytes, STANDARD, true);
}

/** Decodes standard, padded Base64; `undefined` for anything else. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 !== 0) return undefined;
  let body = text;
  if (body.endsWith('==')) body = body.slice(0, -2);
  else if (body.endsWith('=')) body = body.slice(0, -1);
  return decode(body, STANDARD_LOOKUP);
}

/** Base64url without padding (RFC 7515 §2). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encode(bytes, URL_SAFE, false);
}

/** Decodes unpadded Base64url; `undefined` for anything else. */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  return decode(text, URL_SAFE_LOOKUP);
}
