import type { FastifyReply, FastifyRequest } from 'fastify';
import { fail } from '../../../http/errors.js';
import { operatorOf } from '../console-auth.js';

/**
 * onRequest hook of the admin area, after requireOperator: a signed-in operator without the
 * `platform-admin` role (PROTOCOL.md §9) gets 4003 on every admin endpoint, before its body or
 * parameters are looked at — so a denied call changes nothing and learns nothing.
 */
export async function requirePlatformAdmin(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (operatorOf(request).platformRole !== 'platform-admin') throw fail('4003', 'platform_admin_only');
}
