import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';
import { errorResponse } from '../../http/envelope-schemas.js';

/** The readiness probe answers within this (ms), whatever the database does. */
const READY_TIMEOUT_MS = 2000;

const Health = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.String(),
  checks: Type.Object({ database: Type.Boolean(), keys: Type.Boolean() }),
});

/**
 * `GET /healthz` (the process answers) and `GET /readyz` (the database answers and signing keys are
 * loaded; 503 otherwise), for load balancers and orchestrators. Plain JSON, not envelopes: probes
 * read the status code only.
 */
export function registerHealthRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness: the process is up',
        response: { 200: Health, 500: errorResponse(['9000']) },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: database reachable and signing keys loaded',
        // 503 is the probe's own answer (plain JSON, the failing check), not an envelope.
        response: { 200: Ready, 500: errorResponse(['9000']), 503: Ready },
      },
    },
    async (request, reply) => {
      // Its own timeout: a database that accepts connections but never answers still gets a
      // 503 within READY_TIMEOUT_MS, so the balancer takes this instance out (issue 9.8).
      let timer: NodeJS.Timeout | undefined;
      const database = await Promise.race([
        sql`select 1 as ok`.execute(ctx.db).then(() => true),
        new Promise<boolean>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('readiness: database did not answer in time')),
            READY_TIMEOUT_MS,
          );
        }),
      ])
        .finally(() => clearTimeout(timer))
        .catch((err: unknown) => {
          request.log.warn({ err }, 'readiness: database check failed');
          return false;
        });
      let keys = false;
      try {
        keys = ctx.keys.current().kid !== '' && ctx.keys.jwks().keys.length > 0;
      } catch {
        keys = false;
      }
      const ready = database && keys;
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'unavailable', checks: { database, keys } });
    },
  );
}
