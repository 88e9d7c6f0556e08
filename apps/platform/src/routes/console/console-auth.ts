import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { CONSOLE_COOKIE, resolveConsoleSession } from '../../operators/console-sessions.js';
import type { Operator } from '../../operators/operator-repository.js';
import { getProgram, type Program } from '../../programs/program-repository.js';

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

/** Loads a program the operator owns: 4004 when it does not exist, 4003 when it is another operator's. */
export async function loadOwnedProgram(
  ctx: PlatformContext,
  request: FastifyRequest,
  channelId: string,
): Promise<Program> {
  const operator = operatorOf(request);
  const program = await getProgram(ctx.db, channelId);
  if (!program) throw fail('4004', 'program_not_found');
  if (program.operatorId !== operator.id) throw fail('4003', 'program_not_yours');
  return program;
}
