import type { PlatformContext } from '../context.js';
import { claimBackgroundLease } from '../jobs/claim-background-lease.js';
import { purgeExpiredNonces } from './nonce-store.js';

/** How often the janitor runs. */
const JANITOR_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Housekeeping of the binding area, idempotent and safe to run at any time: nonces past their
 * retention, expired one-time keys (and their uses), expired wallet sessions, and reservations
 * whose time ran out (RESERVED past `expires_at`, APPLIED past the completion token) → EXPIRED.
 */
export async function runJanitor(ctx: PlatformContext): Promise<void> {
  const now = ctx.now().toISOString();
  await purgeExpiredNonces(ctx);
  const expiredKeys = ctx.db.selectFrom('one_time_keys').select('key_hash').where('expires_at', '<=', now);
  await ctx.db.deleteFrom('one_time_key_uses').where('key_hash', 'in', expiredKeys).execute();
  await ctx.db.deleteFrom('one_time_keys').where('expires_at', '<=', now).execute();
  await ctx.db.deleteFrom('wallet_sessions').where('expires_at', '<=', now).execute();
  await ctx.db
    .updateTable('bindings')
    .set({ state: 'EXPIRED', ended_at: now, end_reason: 'reservation_expired' })
    .where('state', '=', 'RESERVED')
    .where('expires_at', '<=', now)
    .execute();
  await ctx.db
    .updateTable('bindings')
    .set({ state: 'EXPIRED', ended_at: now, end_reason: 'completion_expired' })
    .where('state', '=', 'APPLIED')
    .where('completion_expires_at', '<=', now)
    .execute();
}

/**
 * The janitor's run of this interval, if no other instance has done it (a lease on the
 * `janitor` row, a little shorter than the interval so timer drift never skips one): returns
 * whether this instance ran it.
 */
export async function runJanitorOnce(ctx: PlatformContext): Promise<boolean> {
  if (!(await claimBackgroundLease(ctx, 'janitor', JANITOR_INTERVAL_MS - 30_000))) return false;
  await runJanitor(ctx);
  return true;
}

/** Runs the janitor every 10 minutes (unref'd), once across instances; returns a stop function. */
export function startJanitor(ctx: PlatformContext, log: (err: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = runJanitorOnce(ctx)
      .catch(log)
      .finally(() => {
        running = undefined;
      });
  }, JANITOR_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
