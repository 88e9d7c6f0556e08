import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

/**
 * The platform's audit log (PROTOCOL.md §7: who did what, to what, when, from where). Append-only:
 * the repository has no update or delete, and triggers on both dialects refuse them
 * (migration 0002). Organizations (issue 12) extend it with their own actions and readers; the
 * columns are generic for that reason: `actorKind` + `actorId`, a dotted `action`, a typed target
 * and free-form `details` (never a secret: callers pass ids and reasons, not values).
 */
export type AuditActorKind = 'operator' | 'platform-admin' | 'cli' | 'system';

export interface AuditEntryInput {
  actorKind: AuditActorKind;
  /** Operator id, or null for the CLI and the platform itself. */
  actorId: string | null;
  /** e.g. `program.review_requested`, `program.suspended`, `report.resolved`. */
  action: string;
  targetType: 'program' | 'operator' | 'report' | 'review' | (string & {});
  targetId: string;
  details?: Record<string, unknown>;
  /** The client address (request.ip, from the rightmost untrusted hop, PROTOCOL.md §10). */
  sourceAddress?: string | null;
}

export interface AuditEntry extends Required<Omit<AuditEntryInput, 'details' | 'sourceAddress'>> {
  id: number;
  at: string;
  details: Record<string, unknown>;
  sourceAddress: string | null;
}

/** Appends one entry; pass the transaction of the change it records so both commit or neither. */
export async function appendAudit(
  db: Kysely<Database> | Transaction<Database>,
  at: Date,
  entry: AuditEntryInput,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: at.toISOString(),
      actor_id: entry.actorId,
      actor_kind: entry.actorKind,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      details: JSON.stringify(entry.details ?? {}),
      source_address: entry.sourceAddress ?? null,
    })
    .execute();
}

/** Entries about one target (or all), newest first, at most `limit`. */
export async function listAudit(
  db: Kysely<Database>,
  filter: { targetType?: string; targetId?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorKind: r.actor_kind as AuditActorKind,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
    sourceAddress: r.source_address,
  }));
}
