/** Test helpers that craft tokens by hand, the way an attacker would. */
import { importJWK } from 'jose';
import { defined } from '../../../test-support/defined.js';

export function b64url(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return Buffer.from(bytes).toString('base64url');
}

export function fromB64url(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** Signs `header.payload` with an EC P-256 private JWK and returns the compact JWS (r‖s signature). */
export async function craftToken(
  header: object,
  payload: object | string,
  privateJwk: JsonWebKey,
): Promise<string> {
  const h = b64url(JSON.stringify(header));
  const p = b64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const key = (await importJWK(
    { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y, d: privateJwk.d },
    'ES256',
  )) as CryptoKey;
  const sig = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    new TextEncoder().encode(`${h}.${p}`),
  );
  return `${h}.${p}.${b64url(new Uint8Array(sig))}`;
}

/** Replaces the signature part of a compact JWS. */
export function withSignature(token: string, signature: Uint8Array): string {
  const [h, p] = token.split('.');
  return `${h}.${p}.${b64url(signature)}`;
}

/** Converts a 64-byte r‖s ECDSA signature to ASN.1 DER (SEQUENCE of two INTEGERs). */
export function rawToDer(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array): number[] => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const body = Array.from(bytes.subarray(i));
    if (defined(body[0]) & 0x80) body.unshift(0);
    return [0x02, body.length, ...body];
  };
  const seq = [...integer(raw.subarray(0, 32)), ...integer(raw.subarray(32))];
  return new Uint8Array([0x30, seq.length, ...seq]);
}

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
export async function rejection(fn: () => Promise<unknown> | unknown): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
