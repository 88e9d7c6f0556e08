import { CompiledQuery, type Kysely } from 'kysely';
import type { MerchantContext } from '../context.js';
import type { Database, LedgerEntry } from '../db/schema.js';
import { tierMessageDue } from '../messages/card-messages.js';
import { SYNCED_LINK_STATES } from '../sync/enqueue-profile-update.js';
import type { KeptAggregates } from './entry-effects.js';
import { lotExpiry, withNewLot } from './lots.js';
import { saleOnKeptWindow, type TierChange, tierFor, windowStart } from './tiers.js';

/**
 * Every write of a sale in one PostgreSQL statement (issue 10: one round trip instead of five):
 * the entry, its lot, the balance with its kept aggregates, the tier (when it changed) and the
 * outbox rows of the member's cards (when due), the entry's id taken from the insert itself — so it
 * is drawn after the member's lock, as in the step-by-step path. Foreign keys and the ledger's
 * triggers check it as any other statement; a taken idempotency key fails it as a whole.
 */
const SALE = `
with e as (
  insert into ledger_entries (member_id, kind, points, amount, currency, order_id, idempotency_key,
    fingerprint, reverses_entry_id, balance_after, source, operator_id, created_at, store_id)
  values ($1, 'accrue', $2, $3, $4, $5, $6, $7, null, $8, $9, $10, $11, $12)
  returning *
), l as (
  insert into point_lots (id, member_id, points, expires_at, created_at)
  select id, member_id, points, cast($13 as text), created_at from e where points > 0
  returning id
), b as (
  update balances set points = $8, lifetime_points = $14, version = (select id from e), updated_at = $11,
    expiry_at = $15, expiry_points = $16, tier = $17, tier_since = $18, tier_spend = $19,
    tier_next_out = $20
  where member_id = $1
  returning member_id
), t as (
  insert into member_tiers (member_id, tier, spend, updated_at)
  select $1, cast($17 as text), cast($21 as integer), cast($11 as text) where cast($22 as boolean)
  on conflict (member_id) do update
    set tier = excluded.tier, spend = excluded.spend, updated_at = excluded.updated_at
  returning member_id
), o as (
  insert into profile_outbox (binding_id, member_id, version, points, level, points_expire_at,
    expiring_points, state, attempts, next_attempt_at, last_error, created_at, delivered_at)
  select binding_id, member_id, (select id from e), cast($8 as integer), cast($17 as text),
    cast($15 as text), cast($23 as integer), 'pending', 0, cast($11 as text), null, cast($11 as text), null
  from wallet_links
  where member_id = $1 and state = any(cast($24 as text[])) and cast($25 as boolean)
  returning id
)
select e.*, (select count(*) from o) as enqueued from e`;

/**
 * The same without a lock taken before: the balance is updated only if it still has the version
 * read ($26) — the row's lock taken by this update, the entry id drawn under it — and the rest
 * follows from that update (nothing when it matched no row). Select lists cast their parameters
 * (PostgreSQL reads an untyped parameter there as text).
 */
const SALE_IF_VERSION = `
with b as (
  update balances set points = $8, lifetime_points = $14,
    version = nextval(pg_get_serial_sequence('ledger_entries', 'id')), updated_at = $11,
    expiry_at = $15, expiry_points = $16, tier = $17, tier_since = $18, tier_spend = $19,
    tier_next_out = $20
  where member_id = $1 and version = $26
  returning version
), e as (
  insert into ledger_entries (id, member_id, kind, points, amount, currency, order_id, idempotency_key,
    fingerprint, reverses_entry_id, balance_after, source, operator_id, created_at, store_id)
  select version, cast($1 as bigint), 'accrue', cast($2 as integer), cast($3 as integer),
    cast($4 as text), cast($5 as text), cast($6 as text), cast($7 as text), null,
    cast($8 as integer), cast($9 as text), cast($10 as bigint), cast($11 as text), cast($12 as text)
  from b
  returning *
), l as (
  insert into point_lots (id, member_id, points, expires_at, created_at)
  select id, member_id, points, cast($13 as text), created_at from e where points > 0
  returning id
), t as (
  insert into member_tiers (member_id, tier, spend, updated_at)
  select $1, cast($17 as text), cast($21 as integer), cast($11 as text)
  where cast($22 as boolean) and exists (select 1 from e)
  on conflict (member_id) do update
    set tier = excluded.tier, spend = excluded.spend, updated_at = excluded.updated_at
  returning member_id
), o as (
  insert into profile_outbox (binding_id, member_id, version, points, level, points_expire_at,
    expiring_points, state, attempts, next_attempt_at, last_error, created_at, delivered_at)
  select binding_id, member_id, (select id from e), cast($8 as integer), cast($17 as text),
    cast($15 as text), cast($23 as integer), 'pending', 0, cast($11 as text), null, cast($11 as text), null
  from wallet_links
  where member_id = $1 and state = any(cast($24 as text[])) and cast($25 as boolean)
    and exists (select 1 from e)
  returning id
)
select e.*, (select count(*) from o) as enqueued from e`;

const SYNCED = [...SYNCED_LINK_STATES];

export interface SaleWrite {
  memberId: number;
  points: number;
  amount: number;
  currency: string | null;
  orderId: string;
  idempotencyKey: string;
  fingerprint: string;
  balanceAfter: number;
  lifetime: number;
  source: LedgerEntry['source'];
  operatorId: number | null;
  storeId: string | null;
  now: string;
}

/**
 * A sale written in one statement when the kept aggregates answer all its effects without reading
 * anything (both known, no sale left the tier's window, no tier message to queue); undefined
 * otherwise (the caller takes the step-by-step path). PostgreSQL only. With `ifVersion` (no lock
 * taken before): only if the balance row still has that version; undefined when it has not.
 */
export async function writeKeptSale(
  ctx: MerchantContext,
  trx: Kysely<Database>,
  sale: SaleWrite,
  kept: KeptAggregates,
  ifVersion?: number,
): Promise<{ entry: LedgerEntry; enqueued: boolean } | undefined> {
  if (!kept.expiry) return undefined;
  const at = new Date(sale.now);
  const since = windowStart(at, ctx.config.tiers.windowMonths);
  const step = saleOnKeptWindow(
    { kind: 'accrue', amount: sale.amount, created_at: sale.now },
    since,
    kept.window,
  );
  if (!step || step.leaving) return undefined;
  const spend = Math.max(0, step.raw);
  const tier = tierFor(spend, ctx.config.tiers.levels);
  const previous = kept.window.tier ?? undefined;
  const change: TierChange = { tier, previous, spend, changed: previous !== tier };
  if (tierMessageDue(ctx, change)) return undefined;
  const writeTier = kept.window.tier !== (tier ?? null) || Math.max(0, kept.window.spend ?? 0) !== spend;
  const lotExpires = lotExpiry(at, ctx.config.points.expiryMonths);
  const expiry =
    sale.points > 0 ? withNewLot(kept.expiry, { points: sale.points, expiresAt: lotExpires }) : kept.expiry;
  const outbox = sale.points !== 0 || change.changed;
  const result = await trx.executeQuery(
    CompiledQuery.raw(ifVersion === undefined ? SALE : SALE_IF_VERSION, [
      sale.memberId,
      sale.points,
      sale.amount,
      sale.currency,
      sale.orderId,
      sale.idempotencyKey,
      sale.fingerprint,
      sale.balanceAfter,
      sale.source,
      sale.operatorId,
      sale.now,
      sale.storeId,
      lotExpires,
      sale.lifetime,
      expiry.pointsExpireAt,
      expiry.expiringPoints ?? 0,
      tier ?? null,
      since,
      step.raw,
      step.nextOut,
      spend,
      writeTier,
      expiry.expiringPoints,
      SYNCED,
      outbox,
      ...(ifVersion === undefined ? [] : [ifVersion]),
    ]),
  );
  const row = result.rows[0] as (LedgerEntry & { enqueued: number }) | undefined;
  if (!row) {
    if (ifVersion !== undefined) return undefined;
    throw new Error('sale insert returned no row');
  }
  const { enqueued, ...entry } = row;
  return { entry, enqueued: Number(enqueued) > 0 };
}
