import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { PlatformConfig } from '../../config.js';

/**
 * Security headers on every response (issue: Security), as helmet sets them:
 * a CSP of `default-src 'self'` with no inline script and `frame-ancestors 'none'`, `nosniff`,
 * `Referrer-Policy: no-referrer` (binding URLs carry tokens in their query: they must never leak
 * through Referer), `X-Frame-Options: DENY`, and HSTS only when the public URL is https (on plain
 * http it would be ignored, and on localhost it would stick to every other local service).
 * Registered before every route, so it also covers 404s and the docs UI. The headers depend on
 * the config only, so helmet runs once at start-up and each request gets the same headers
 * (issue 10: building helmet's middleware per request was 2% of a binding flow's CPU).
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: PlatformConfig): Promise<void> {
  const headers = securityHeaders(config);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/** The headers helmet sets for the platform's options, computed once. */
export function securityHeaders(config: PlatformConfig): Record<string, string> {
  const https = config.publicUrl.startsWith('https:');
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    xContentTypeOptions: true,
  });
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/**
 * Options for @fastify/swagger-ui at `/docs`: the UI's own CSP (its inline-free pages plus the
 * hashes of what it must inline), tightened to the platform's rules: no framing, and
 * `upgrade-insecure-requests` only on https.
 */
export function swaggerUiOptions(config: PlatformConfig) {
  const https = config.publicUrl.startsWith('https:');
  return {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header: string) =>
      header
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replace(' validator.swagger.io', '')
        .replace(/\s*upgrade-insecure-requests;?/, https ? ' upgrade-insecure-requests;' : ''),
    uiConfig: { validatorUrl: null },
  };
}
