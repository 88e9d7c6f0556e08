import { type Kysely, sql, type Transaction } from 'kysely';
import { compiledOnce, slot } from '../db/compiled-query.js';
import type { Database, LedgerEntry } from '../db/schema.js';

/**
 * Point lots. Every accrual that earns points opens a lot (its id is the accrual entry's id) with
 * an expiry date; every entry that takes points away records which lots it took them from as
 * append-only `lot_uses` rows, written in the entry's own transaction:
 *
 * - `redeem`: the oldest lots first (FIFO, by the order they were earned);
 * - `reverse`: only the refunded sale's own lot (what is left of it);
 * - `expire`: the whole rest of one lot.
 *
 * What is left of a lot is its points minus its uses, so the sum of a member's open lots equals
 * their balance at every commit. Lot uses are rows of their own rather than replayed from the
 * entries: the FIFO choice is made once, under the member's lock, and stays as made even when the
 * expiry setting changes later; a lot's state is one indexed query; and the database checks the
 * bookkeeping (a use is positive, names a real lot and a real entry, and is never edited).
 */

/** A lot with what is left of it. */
export interface OpenLot {
  id: number;
  points: number;
  left: number;
  expiresAt: string | null;
  createdAt: string;
  orderId: string;
}

/** `at` plus whole calendar months (UTC), the day clamped to the month's last (31 Jan + 1 → 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const target = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), last));
  target.setUTCHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return target;
}

/** When points earned at `earnedAt` expire: `expiryMonths` later, or never (0). */
export function lotExpiry(earnedAt: Date, expiryMonths: number): string | null {
  return expiryMonths > 0 ? addMonths(earnedAt, expiryMonths).toISOString() : null;
}

/** Thrown when the lots do not cover an entry: the ledger and its lots disagree (never expected). */
export class LotsShort extends Error {
  constructor(entryId: number) {
    super(`lots do not cover ledger entry ${entryId}`);
  }
}

const insertLot = compiledOnce<unknown, [number, number, number, string | null, string]>((db) =>
  db.insertInto('point_lots').values({
    id: slot(0),
    member_id: slot(1),
    points: slot(2),
    expires_at: slot(3),
    created_at: slot(4),
  }),
);

/**
 * In the entry's transaction, right after its insert (the member's balance row is locked): the
 * lot it opens or the lot uses it makes. Returns the lot an accrual opened.
 */
export async function recordLotMoves(
  trx: Transaction<Database>,
  entry: LedgerEntry,
  expiryMonths: number,
): Promise<{ points: number; expiresAt: string | null } | undefined> {
  if (entry.kind === 'accrue') {
    if (entry.points <= 0) return undefined;
    const expiresAt = lotExpiry(new Date(entry.created_at), expiryMonths);
    await trx.executeQuery(
      insertLot(trx, [entry.id, entry.member_id, entry.points, expiresAt, entry.created_at]),
    );
    return { points: entry.points, expiresAt };
  }
  let due = -entry.points;
  if (due <= 0) return undefined;
  const lots =
    entry.kind === 'redeem'
      ? await openLots(trx, entry.member_id)
      : (await openLots(trx, entry.member_id)).filter((l) => l.id === entry.reverses_entry_id);
  const uses: Array<{ entry_id: number; lot_id: number; points: number }> = [];
  for (const lot of lots) {
    if (due === 0) break;
    const n = Math.min(lot.left, due);
    uses.push({ entry_id: entry.id, lot_id: lot.id, points: n });
    due -= n;
  }
  if (due > 0) throw new LotsShort(entry.id);
  await trx.insertInto('lot_uses').values(uses).execute();
  return undefined;
}

/** A member's lots with points left, oldest first. */
export async function openLots(db: Kysely<Database>, memberId: number): Promise<OpenLot[]> {
  const rows = await db
    .selectFrom('point_lots as l')
    .innerJoin('ledger_entries as e', 'e.id', 'l.id')
    .leftJoin('lot_uses as u', 'u.lot_id', 'l.id')
    .select([
      'l.id',
      'l.points',
      'l.expires_at',
      'l.created_at',
      'e.order_id',
      sql<number>`l.points - coalesce(sum(u.points), 0)`.as('left'),
    ])
    .where('l.member_id', '=', memberId)
    .groupBy(['l.id', 'l.points', 'l.expires_at', 'l.created_at', 'e.order_id'])
    .having(sql`l.points - coalesce(sum(u.points), 0)`, '>', 0)
    .orderBy('l.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    points: r.points,
    left: Number(r.left),
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    orderId: r.order_id,
  }));
}

/** What is left of one lot (0 for a sale that earned none). */
export async function lotLeft(db: Kysely<Database>, lotId: number): Promise<number> {
  const row = await db
    .selectFrom('point_lots as l')
    .leftJoin('lot_uses as u', 'u.lot_id', 'l.id')
    .select(sql<number>`l.points - coalesce(sum(u.points), 0)`.as('left'))
    .where('l.id', '=', lotId)
    .groupBy('l.points')
    .executeTakeFirst();
  return Number(row?.left ?? 0);
}

/** The card's expiry fields: the soonest expiring open lot (PROTOCOL.md §6), or none. */
export interface CardExpiry {
  pointsExpireAt: string | null;
  expiringPoints: number | null;
}

export function soonestExpiry(lots: readonly OpenLot[]): CardExpiry {
  let at: string | null = null;
  let points = 0;
  for (const lot of lots) {
    if (lot.expiresAt === null) continue;
    if (at === null || lot.expiresAt < at) {
      at = lot.expiresAt;
      points = lot.left;
    } else if (lot.expiresAt === at) points += lot.left;
  }
  return at === null
    ? { pointsExpireAt: null, expiringPoints: null }
    : { pointsExpireAt: at, expiringPoints: points };
}

/**
 * The card's expiry fields once a new lot opened (nothing else changed): what {@link soonestExpiry}
 * answers for the open lots plus this one.
 */
export function withNewLot(prior: CardExpiry, lot: { points: number; expiresAt: string | null }): CardExpiry {
  if (lot.expiresAt === null) return prior;
  if (prior.pointsExpireAt === null || lot.expiresAt < prior.pointsExpireAt) {
    return { pointsExpireAt: lot.expiresAt, expiringPoints: lot.points };
  }
  if (lot.expiresAt === prior.pointsExpireAt) {
    return { pointsExpireAt: prior.pointsExpireAt, expiringPoints: (prior.expiringPoints ?? 0) + lot.points };
  }
  return prior;
}
