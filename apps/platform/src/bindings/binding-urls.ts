import type { PlatformConfig } from '../config.js';
import { hmacBase64Url, randomToken } from '../crypto/tokens.js';

/** A new binding id: 192 random bits, 32 base64url chars (PROTOCOL.md §1: 22–40). */
export function newBindingId(): string {
  return randomToken(24);
}

/** A binding nonce: 256 random bits, base64url (PROTOCOL.md §4.2: ≥128-bit). */
export function newBindingNonce(): string {
  return randomToken(32);
}

/**
 * The pairwise subject (`sub`): base64url(HMAC-SHA256(pairwise key, channelId + ":" + userId)),
 * stable per user per program and unlinkable across programs (docs/protocol-notes.md).
 */
export function pairwiseSubject(pairwiseKey: Buffer, channelId: string, userId: string): string {
  return hmacBase64Url(pairwiseKey, `${channelId}:${userId}`);
}

/** The wallet callback URL (PROTOCOL.md §4.2): the LIFF URL in LINE mode, else the platform's own page. */
export function walletCallbackUrl(config: PlatformConfig): string {
  if (config.identity === 'line' && config.line.liffId) {
    return `https://liff.line.me/${config.line.liffId}/bindings/callback`;
  }
  return `${config.publicUrl}/wallet/bindings/callback`;
}

/** The program's binding website URL with nonce, callback and token added; its own query is kept. */
export function bindingRedirectUrl(
  bindingUrl: string,
  params: { nonce: string; callback: string; token: string },
) {
  const url = new URL(bindingUrl);
  url.searchParams.set('nonce', params.nonce);
  url.searchParams.set('callback', params.callback);
  url.searchParams.set('token', params.token);
  return url.href;
}

/** The callback with the completion token and status SUCCESS (PROTOCOL.md §4.5). */
export function successCallbackUrl(callback: string, completionToken: string, channelId: string): string {
  const url = new URL(callback);
  url.searchParams.set('token', completionToken);
  url.searchParams.set('channelId', channelId);
  url.searchParams.set('status', 'SUCCESS');
  return url.href;
}
