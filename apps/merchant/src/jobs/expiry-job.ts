import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { MerchantContext } from '../context.js';
import { appendEntry } from '../ledger/append-entry.js';
import { requestFingerprint } from '../ledger/fingerprint.js';
import { lotLeft } from '../ledger/lots.js';
import { queueExpiryNotices } from '../messages/card-messages.js';
import { claimRun, finishRun, releaseRun } from './job-claims.js';

export const EXPIRY_JOB = 'points-expiry';
/** Lots handled per query of due lots (the job loops until none is left). */
const BATCH = 200;

export interface ExpiryRun {
  /** The UTC day the run covered (`YYYY-MM-DD`). */
  runKey: string;
  /** False when another instance holds or already finished this day's run. */
  ran: boolean;
  /** Expiry entries this run wrote, and the points they took. */
  expiredLots: number;
  expiredPoints: number;
  /** "Points about to expire" card messages queued (once per lot). */
  noticesQueued: number;
}

/** A unique name of this process for job claims. */
export function instanceName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * The daily expiry job: claims the UTC day's run ({@link claimRun}), writes an `expire` entry for
 * every lot whose expiry has passed with points left, queues the "about to expire" card messages,
 * and marks the day done. `again` (the CLI) runs a day that already finished; a day another
 * instance is running is left to it.
 *
 * Safe without the claim too: each lot's expiry is one ledger entry with the idempotency key
 * `expire:<lotId>`, decided under the member's balance lock from what is left of the lot, so a
 * second run — twice in a row, or at the same time on another instance — finds nothing left to
 * expire or the first run's entry, and the ledger is the same.
 */
export async function runExpiryJob(
  ctx: MerchantContext,
  options: { owner: string; again?: boolean },
): Promise<ExpiryRun> {
  const now = ctx.now();
  const runKey = now.toISOString().slice(0, 10);
  const claimed = await claimRun(ctx.db, {
    job: EXPIRY_JOB,
    runKey,
    owner: options.owner,
    now,
    leaseSeconds: ctx.config.expiryJob.leaseSeconds,
    ...(options.again ? { again: true } : {}),
  });
  if (!claimed) return { runKey, ran: false, expiredLots: 0, expiredPoints: 0, noticesQueued: 0 };
  try {
    const expired = await expireDueLots(ctx);
    const noticesQueued = await queueExpiryNotices(ctx);
    await finishRun(ctx.db, EXPIRY_JOB, runKey, options.owner, ctx.now());
    return { runKey, ran: true, ...expired, noticesQueued };
  } catch (err) {
    await releaseRun(ctx.db, EXPIRY_JOB, runKey, options.owner, ctx.now()).catch(() => undefined);
    throw err;
  }
}

class NothingLeft extends Error {}

/**
 * Writes the expiry entries due as of `ctx.now()`: one per lot whose `expires_at` has passed and
 * that has points left. Idempotent (see {@link runExpiryJob}).
 */
export async function expireDueLots(
  ctx: MerchantContext,
): Promise<{ expiredLots: number; expiredPoints: number }> {
  const now = ctx.now().toISOString();
  let expiredLots = 0;
  let expiredPoints = 0;
  let after = 0;
  for (;;) {
    const due = await ctx.db
      .selectFrom('point_lots as l')
      .innerJoin('ledger_entries as e', 'e.id', 'l.id')
      .leftJoin('lot_uses as u', 'u.lot_id', 'l.id')
      .select(['l.id', 'l.member_id', 'e.order_id'])
      .where('l.expires_at', '<=', now)
      .where('l.id', '>', after)
      .groupBy(['l.id', 'l.member_id', 'l.points', 'e.order_id'])
      .having(sql`l.points - coalesce(sum(u.points), 0)`, '>', 0)
      .orderBy('l.id')
      .limit(BATCH)
      .execute();
    if (due.length === 0) break;
    for (const lot of due) {
      const lotId = Number(lot.id);
      after = lotId;
      const points = await expireLot(ctx, lotId, Number(lot.member_id), lot.order_id);
      if (points > 0) {
        expiredLots++;
        expiredPoints += points;
      }
    }
  }
  return { expiredLots, expiredPoints };
}

/** One lot's expiry entry; the points it took (0 when there was nothing left or it was done). */
async function expireLot(
  ctx: MerchantContext,
  lotId: number,
  memberId: number,
  orderId: string,
): Promise<number> {
  try {
    const { entry, replayed } = await appendEntry(ctx, {
      member: { id: memberId, source: 'expiry' },
      idempotencyKey: `expire:${lotId}`,
      fingerprint: requestFingerprint({ op: 'expire', lot: lotId }),
      decide: async (_balance, trx) => {
        const left = await lotLeft(trx, lotId);
        if (left <= 0) throw new NothingLeft();
        return {
          kind: 'expire',
          points: -left,
          amount: null,
          currency: null,
          order_id: orderId,
          reverses_entry_id: lotId,
          source: 'expiry',
          operator_id: null,
        };
      },
    });
    return replayed ? 0 : -entry.points;
  } catch (err) {
    if (err instanceof NothingLeft) return 0;
    throw err;
  }
}
