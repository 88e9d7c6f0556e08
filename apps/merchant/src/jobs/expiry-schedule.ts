import type { FastifyBaseLogger } from 'fastify';
import type { MerchantContext } from '../context.js';
import { type ExpiryRun, runExpiryJob } from './expiry-job.js';

/** How often the schedule looks whether the day's run is due (cheap: one claim attempt). */
const CHECK_EVERY_MS = 5 * 60 * 1000;

export interface ExpirySchedule {
  start(): void;
  stop(): Promise<void>;
  /** Runs the day's job when it is due (from `expiryJob.hourUtc`) and not done; what it did. */
  tick(): Promise<ExpiryRun | undefined>;
}

/**
 * The daily expiry job inside the merchant process: every few minutes, once the UTC hour
 * `expiryJob.hourUtc` has come, it tries to claim the day's run — on several instances one wins,
 * the others find it claimed or done and do nothing (see runExpiryJob).
 */
export function createExpirySchedule(
  ctx: MerchantContext,
  log: FastifyBaseLogger,
  owner: string,
): ExpirySchedule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ExpiryRun | undefined> | undefined;
  let stopped = true;

  const tick = async (): Promise<ExpiryRun | undefined> => {
    if (ctx.now().getUTCHours() < ctx.config.expiryJob.hourUtc) return undefined;
    if (running) return running;
    running = (async () => {
      const run = await runExpiryJob(ctx, { owner });
      if (run.ran) log.info({ ...run }, 'points expiry job ran');
      return run;
    })();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () =>
        void tick()
          .catch((err) => log.error({ err }, 'points expiry job failed'))
          .finally(schedule),
      CHECK_EVERY_MS,
    );
    timer.unref();
  };

  return {
    start() {
      if (!stopped || !ctx.config.expiryJob.schedule) return;
      stopped = false;
      void tick()
        .catch((err) => log.error({ err }, 'points expiry job failed'))
        .finally(schedule);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    tick,
  };
}
