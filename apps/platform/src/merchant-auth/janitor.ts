import { endBinding } from '../bindings/end-binding.js';
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
  await expireDueBindings(ctx, now);
}

/** Bindings expired per janitor run (each with its event); a backlog drains over several runs. */
const EXPIRE_BATCH = 500;

/**
 * RESERVED past `expires_at` and APPLIED past the completion token → EXPIRED, one by one so that
 * each gets its `binding.expired` webhook in the transaction that expires it (PROTOCOL.md §6).
 */
export async function expireDueBindings(ctx: PlatformContext, now: string): Promise<number> {
  const due = await ctx.db
    .selectFrom('bindings')
    .select(['id', 'state'])
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'RESERVED'), eb('expires_at', '<=', now)]),
        eb.and([eb('state', '=', 'APPLIED'), eb('completion_expires_at', '<=', now)]),
      ]),
    )
    .limit(EXPIRE_BATCH)
    .execute();
  let expired = 0;
  for (const row of due) {
    const reserved = row.state === 'RESERVED';
    const done = await endBinding(ctx, {
      id: row.id,
      to: 'EXPIRED',
      reason: reserved ? 'reservation_expired' : 'completion_expired',
      from: [reserved ? 'RESERVED' : 'APPLIED'],
    });
    if (done) expired++;
  }
  return expired;
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
