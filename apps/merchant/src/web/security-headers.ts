import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every response. The CSP allows no inline script or style; `form-action`
 * also names the wallet origins the binding pages redirect to after a form (browsers check
 * redirects after a form submission against it). `Referrer-Policy: no-referrer` everywhere, because
 * binding pages carry tokens in their URL.
 */
export function registerSecurityHeaders(app: FastifyInstance, formTargets: () => string[]): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const formAction = ["'self'", ...formTargets(), ...(request.extraFormTargets ?? [])].join(' ');
    reply.header(
      'content-security-policy',
      [
        "default-src 'self'",
        // 'wasm-unsafe-eval' lets the till compile its barcode decoder (WebAssembly), no JS eval.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        `form-action ${formAction}`,
        "frame-ancestors 'none'",
      ].join('; '),
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(self), geolocation=(), microphone=()');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Extra origins a page's forms may end up at (the binding callback's origin). */
    extraFormTargets?: string[];
  }
}
