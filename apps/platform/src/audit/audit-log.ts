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

/**
 * One page of an organization's audit log (PROTOCOL.md §7), newest first: the entries about the
 * organization itself (members, invitations, its name) and about its programs (secrets, status,
 * webhook URL, testers, reviews). Entries with an id below `before`; `nextBefore` is the id to ask
 * for next, or null on the last page. Platform administrators who are not members of the
 * organization appear without name or address: the organization sees what the platform did, not
 * which of its staff did it.
 */
export async function listOrganizationAudit(
  db: Kysely<Database>,
  organizationId: string,
  page: { before?: number | undefined; limit?: number | undefined } = {},
): Promise<{ entries: OrganizationAuditEntry[]; nextBefore: number | null }> {
  const limit = page.limit ?? 50;
  let q = db
    .selectFrom('audit_log')
    .leftJoin('operators', 'operators.id', 'audit_log.actor_id')
    .leftJoin('organization_members', (join) =>
      join
        .onRef('organization_members.operator_id', '=', 'audit_log.actor_id')
        .on('organization_members.organization_id', '=', organizationId),
    )
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_id',
      'audit_log.actor_kind',
      'audit_log.action',
      'audit_log.target_type',
      'audit_log.target_id',
      'audit_log.details',
      'audit_log.source_address',
      'operators.email',
      'operators.display_name',
      'organization_members.role as member_role',
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('audit_log.target_type', '=', 'organization'),
          eb('audit_log.target_id', '=', organizationId),
        ]),
        eb.and([
          eb('audit_log.target_type', '=', 'program'),
          eb(
            'audit_log.target_id',
            'in',
            eb.selectFrom('programs').select('channel_id').where('organization_id', '=', organizationId),
          ),
        ]),
      ]),
    );
  if (page.before !== undefined) q = q.where('audit_log.id', '<', page.before);
  const rows = await q
    .orderBy('audit_log.id', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const entries = rows.slice(0, limit).map((r): OrganizationAuditEntry => {
    const anonymous = r.actor_kind === 'platform-admin' && r.member_role === null;
    const named = r.actor_id !== null && !anonymous;
    return {
      id: Number(r.id),
      at: r.at,
      action: r.action,
      actor: {
        kind: r.actor_kind as AuditActorKind,
        operatorId: named ? r.actor_id : null,
        email: named ? (r.email ?? null) : null,
        displayName: named ? (r.display_name ?? null) : null,
      },
      targetType: r.target_type,
      targetId: r.target_id,
      details: JSON.parse(r.details) as Record<string, unknown>,
      sourceAddress: anonymous ? null : r.source_address,
    };
  });
  const last = entries.at(-1);
  return { entries, nextBefore: more && last ? last.id : null };
}

export interface OrganizationAuditEntry {
  id: number;
  at: string;
  action: string;
  actor: {
    kind: AuditActorKind;
    operatorId: string | null;
    email: string | null;
    displayName: string | null;
  };
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  sourceAddress: string | null;
}
