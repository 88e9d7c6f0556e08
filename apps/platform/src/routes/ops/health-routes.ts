import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { PlatformContext } from '../../context.js';

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
    { schema: { tags: ['ops'], summary: 'Liveness: the process is up', response: { 200: Health } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: database reachable and signing keys loaded',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (request, reply) => {
      const database = await sql`select 1 as ok`
        .execute(ctx.db)
        .then(() => true)
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
