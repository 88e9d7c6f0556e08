import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../../context.js';

/**
 * Picks up `mycard keys rotate` run by another process: every few seconds the key store re-reads
 * the keys file if it changed (the store itself is time-gated and compares mtimes, so this costs a
 * stat). Started on ready, stopped on close; the timer never keeps the process alive.
 */
export function startKeyRefresh(app: FastifyInstance, ctx: PlatformContext, intervalMs = 5000): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      ctx.keys.refresh().catch((err: unknown) => app.log.error({ err }, 'signing keys refresh failed'));
    }, intervalMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
