/** Binding tokens signed the way the platform signs them, with @mycard/protocol. */
import { buildBindingClaims, type generateSigningKey, signBindingToken } from '@mycard/protocol';
import { CHANNEL_ID } from './fake-platform.js';

export const ISSUER = 'https://mycard.test';
export const CALLBACK = 'https://mycard.test/wallet/bindings/callback';

export type SigningKey = Awaited<ReturnType<typeof generateSigningKey>>;

export interface TokenOptions {
  key: SigningKey;
  channelId?: string;
  issuer?: string;
  nonce?: string;
  callback?: string;
  bindingId?: string;
  now?: Date;
  /** Sign with this kid in the header instead of the key's own. */
  kid?: string;
}

/** A signed binding token and the query the wallet would open the binding page with. */
export async function bindingRequest(options: TokenOptions) {
  const nonce =
    options.nonce ?? Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
  const callback = options.callback ?? CALLBACK;
  const claims = buildBindingClaims({
    issuer: options.issuer ?? ISSUER,
    channelId: options.channelId ?? CHANNEL_ID,
    subject: 'u_pairwise_0123456789abcdef',
    bindingId: options.bindingId ?? 'b_0123456789abcdefghijkl',
    nonce,
    callback,
    now: options.now ?? new Date(),
  });
  const token = await signBindingToken(claims, {
    kid: options.kid ?? options.key.kid,
    privateKey: options.key.privateJwk,
  });
  return { query: { nonce, callback, token }, claims };
}
