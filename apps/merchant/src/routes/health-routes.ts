import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { MerchantContext } from '../context.js';

/** `GET /healthz` (process up) and `GET /readyz` (database answers). */
export function registerHealthRoutes(app: FastifyInstance, ctx: MerchantContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ready', channelConfigured: ctx.platform.channelId !== undefined };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
