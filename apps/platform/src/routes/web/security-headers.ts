import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Content-Security-Policy of the web apps (wallet and console): scripts and styles only from the
 * platform's own origin — no inline script, no eval — no plugins, no framing, no `<base>`
 * rewriting. Images may be `data:`/`blob:` (the console previews an uploaded logo). In LINE mode the
 * LIFF SDK talks to LINE's API. Issue #4, "Security in the browser".
 */
export function contentSecurityPolicy(options: { line: boolean }): string {
  const connect = ["'self'"];
  if (options.line)
    connect.push('https://api.line.me', 'https://access.line.me', 'https://liffsdk.line-scdn.net');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Headers for every page and asset of the web apps. `Referrer-Policy: no-referrer` because the
 * wallet callback URL carries a completion token (PROTOCOL.md §4.5) that must not leak to the
 * logo host, a merchant link or anyone else.
 */
export function createSecurityHeaders(csp: string) {
  return async function securityHeaders(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // Replaces any platform-wide default (helmet's): this area knows what its apps need.
    reply.header('content-security-policy', csp);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  };
}
