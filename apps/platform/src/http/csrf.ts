import type { FastifyReply, FastifyRequest } from 'fastify';
import { fail } from './errors.js';

/**
 * CSRF guard for cookie-authenticated state-changing calls (wallet and console): the body must be
 * JSON (or the route's declared media type), and a browser's Origin / Sec-Fetch-Site must say the
 * call comes from the platform's own origin. Non-browser clients send neither header.
 */
export function createSameOriginGuard(
  publicUrl: string,
  allowedTypes: readonly string[] = ['application/json'],
) {
  const origin = new URL(publicUrl).origin;
  return async function sameOrigin(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const [type = ''] = (request.headers['content-type'] ?? '').split(';', 1);
    const hasBody = request.method !== 'DELETE' || Number(request.headers['content-length'] ?? 0) > 0;
    if (hasBody && !allowedTypes.includes(type.trim().toLowerCase())) throw fail('4003', 'csrf_content_type');
    const sentOrigin = request.headers.origin;
    if (sentOrigin !== undefined && sentOrigin !== origin) throw fail('4003', 'csrf_origin');
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw fail('4003', 'csrf_site');
  };
}
