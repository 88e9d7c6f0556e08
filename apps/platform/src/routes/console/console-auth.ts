import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { CONSOLE_COOKIE, resolveConsoleSession } from '../../operators/console-sessions.js';
import type { Operator } from '../../operators/operator-repository.js';
import { memberRole } from '../../organizations/organization-repository.js';
import { roleHas } from '../../organizations/organization-rights.js';
import { getProgram, type Program } from '../../programs/program-repository.js';
import type { OrganizationRole } from '../../store/schema.js';
import { rightOf } from './console-rights.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in console operator (set by requireOperator on console routes). */
    consoleOperator: Operator | null;
  }
}

/** Attributes of the `mycard_console` cookie (docs/protocol-notes.md): HttpOnly, SameSite=Strict. */
export function consoleCookieOptions(ctx: PlatformContext, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: ctx.config.publicUrl.startsWith('https:'),
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** onRequest hook: a live console session is required (4001 otherwise). */
export function createRequireOperator(ctx: PlatformContext) {
  return async function requireOperator(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = request.cookies[CONSOLE_COOKIE];
    const operator = token ? await resolveConsoleSession(ctx, token) : undefined;
    if (!operator) throw fail('4001', 'console_session');
    request.consoleOperator = operator;
  };
}

/** The signed-in operator; only call on routes behind requireOperator. */
export function operatorOf(request: FastifyRequest): Operator {
  if (!request.consoleOperator) throw fail('4001', 'console_session');
  return request.consoleOperator;
}

/**
 * The signed-in operator's role in an organization, checked against the right the endpoint needs
 * (console-rights.ts): 4003 when not a member or when the role lacks the right.
 */
export async function authorizeOrganization(
  ctx: PlatformContext,
  request: FastifyRequest,
  organizationId: string | null,
  notMember: 'program_not_yours' | 'organization_not_yours' | 'review_not_yours' = 'organization_not_yours',
): Promise<OrganizationRole> {
  const operator = operatorOf(request);
  const right = rightOf(request);
  // Fails closed: an endpoint that reaches here must be listed in CONSOLE_RIGHTS.
  if (!right) throw fail('9000', 'console_right_unlisted');
  const role = organizationId ? await memberRole(ctx.db, organizationId, operator.id) : undefined;
  if (!role) throw fail('4003', notMember);
  if (!roleHas(role, right)) throw fail('4003', 'role_forbidden');
  return role;
}

/**
 * Loads a program of one of the operator's organizations for what the endpoint does: 4004 when it
 * does not exist, 4003 when it is another organization's or the operator's role lacks the right.
 */
export async function loadOwnedProgram(
  ctx: PlatformContext,
  request: FastifyRequest,
  channelId: string,
): Promise<Program & { role: OrganizationRole }> {
  const program = await getProgram(ctx.db, channelId);
  if (!program) throw fail('4004', 'program_not_found');
  const role = await authorizeOrganization(ctx, request, program.organizationId, 'program_not_yours');
  return { ...program, role };
}
