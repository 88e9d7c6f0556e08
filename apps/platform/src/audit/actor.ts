import type { FastifyRequest } from 'fastify';
import type { Operator } from '../operators/operator-repository.js';
import type { AuditActorKind } from './audit-log.js';

/** Who does something, for the audit log: kind, operator id and source address. */
export interface Actor {
  kind: AuditActorKind;
  id: string | null;
  sourceAddress: string | null;
}

/** The signed-in console operator of a request as an actor (platform administrators as such). */
export function actorOf(request: FastifyRequest, operator: Operator): Actor {
  return {
    kind: operator.platformRole === 'platform-admin' ? 'platform-admin' : 'operator',
    id: operator.id,
    sourceAddress: request.ip,
  };
}

/** The `mycard` CLI, run by whoever has the server's configuration. */
export const CLI_ACTOR: Actor = { kind: 'cli', id: null, sourceAddress: null };
