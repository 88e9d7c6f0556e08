import { createMerchantApp } from '../app.js';
import type { MerchantConfigInput } from '../config.js';
import { instanceName, runExpiryJob } from '../jobs/expiry-job.js';

/**
 * `main.ts expiry run` — the daily points expiry job now, from the command line (cron, an
 * operator): writes the expiry entries due, queues the "about to expire" card messages and sends
 * what is queued. Runs even when today's scheduled run already finished (it is idempotent); when
 * another instance is running it right now, leaves it to that one.
 */
export async function expiryRunCommand(input: MerchantConfigInput): Promise<string> {
  const merchant = await createMerchantApp({
    ...input,
    logLevel: input.logLevel ?? 'warn',
    expiryJob: { ...input.expiryJob, schedule: false },
  });
  try {
    const run = await runExpiryJob(merchant.context, { owner: `cli:${instanceName()}`, again: true });
    if (!run.ran) return `expiry ${run.runKey}: another instance is running it now; nothing done`;
    const sent = await merchant.messages.runOnce();
    return `expiry ${run.runKey}: ${run.expiredLots} lots expired (${run.expiredPoints} points), ${run.noticesQueued} notices queued, ${sent} messages sent`;
  } finally {
    await merchant.close();
  }
}
