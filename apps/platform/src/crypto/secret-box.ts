import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM encryption of secrets at rest (channel secrets) under the configured master key.
 * Format: `v1.<iv b64url>.<ciphertext b64url>.<tag b64url>`; the version prefix allows a later scheme.
 * `aad` binds a ciphertext to its row (e.g. the channel id) so rows cannot be swapped.
 */
export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

export function createSecretBox(masterKeyBase64: string): SecretBox {
  const key = Buffer.from(masterKeyBase64, 'base64');
  if (key.length !== 32) throw new Error('master key must be 32 bytes, base64-encoded');
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        ct.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
      ].join('.');
    },
    open(sealed, aad) {
      const [version, iv, ct, tag] = sealed.split('.');
      if (version !== 'v1' || !iv || ct === undefined || !tag)
        throw new Error('sealed secret: unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

/** A fresh 256-bit master key, base64. */
export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}
