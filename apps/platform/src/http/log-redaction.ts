import type { FastifyRequest } from 'fastify';

const SECRET_QUERY_KEYS = new Set(['token', 'nonce', 'idToken', 'id_token', 'code', 'access_token']);

/**
 * The URL as it may appear in logs: one-time keys in paths keep only their last 4 digits, and the
 * values of query parameters that carry tokens (the wallet callback's `token`, the binding page's
 * `token` and `nonce`) are replaced. Logs never contain secrets, tokens or full codes.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(
    /\/v1\/onetimekeys\/\d{14}(\d{4})/,
    (_m, last4: string) => `/v1/onetimekeys/**************${last4}`,
  );
  if (q < 0) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of params.keys()) if (SECRET_QUERY_KEYS.has(key)) params.set(key, '[redacted]');
  return `${path}?${params.toString()}`;
}

/** Pino serializer for requests: Fastify's default fields with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    remoteAddress: request.ip,
  };
}
