import type { ReportReason } from '@mycard/wire';
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { randomToken } from '../crypto/tokens.js';
import { fail } from '../http/errors.js';
import type { Database, ReportState } from '../store/schema.js';

export type { ReportReason };

export interface ProgramReport {
  reportId: string;
  channelId: string;
  bindingId: string | null;
  reason: ReportReason;
  text: string;
  state: ReportState;
  createdAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * A wallet user's "report this card" (issue 14): lands in the administrators' queue. Limited to
 * `rateLimits.reportsPerDay` per user in any 24 hours, counted in the database so the limit holds
 * across instances (4029 with the seconds until the oldest counted report leaves the window).
 * Reports name the program, optionally the user's card of it; the user id is kept for the limit
 * and never shown to the merchant.
 */
export async function createReport(
  ctx: PlatformContext,
  input: { userId: string; channelId: string; bindingId: string | null; reason: ReportReason; text: string },
): Promise<{ report: ProgramReport } | { retryAfter: number }> {
  const now = ctx.now();
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const recent = await ctx.db
    .selectFrom('program_reports')
    .select('created_at')
    .where('user_id', '=', input.userId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  const first = recent[0];
  if (first && recent.length >= ctx.config.rateLimits.reportsPerDay) {
    const oldest = Date.parse(first.created_at);
    return { retryAfter: Math.max(1, Math.ceil((oldest + DAY_MS - now.getTime()) / 1000)) };
  }
  const row = {
    id: `rp_${randomToken(12)}`,
    channel_id: input.channelId,
    binding_id: input.bindingId,
    user_id: input.userId,
    reason: input.reason,
    text: input.text,
    state: 'OPEN' as const,
    created_at: now.toISOString(),
    resolved_by: null,
    resolved_at: null,
    resolution: null,
  };
  await ctx.db.insertInto('program_reports').values(row).execute();
  return { report: toReport(row) };
}

function toReport(row: Database['program_reports']): ProgramReport {
  return {
    reportId: row.id,
    channelId: row.channel_id,
    bindingId: row.binding_id,
    reason: row.reason as ReportReason,
    text: row.text,
    state: row.state,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  };
}

/** Reports, newest first, by state and/or program. */
export async function listReports(
  db: Kysely<Database>,
  filter: { state?: ReportState; channelId?: string; limit?: number } = {},
): Promise<ProgramReport[]> {
  let q = db.selectFrom('program_reports').selectAll();
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.channelId) q = q.where('channel_id', '=', filter.channelId);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(filter.limit ?? 200)
    .execute();
  return rows.map(toReport);
}

/** An administrator closes a report (dismissed, or actioned e.g. by a suspension); 3004 if closed. */
export async function resolveReport(
  ctx: PlatformContext,
  admin: Actor,
  reportId: string,
  resolution: 'dismissed' | 'actioned',
  note: string,
): Promise<ProgramReport> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom('program_reports')
      .select('state')
      .where('id', '=', reportId)
      .executeTakeFirst();
    if (!found) throw fail('4004', 'report_not_found');
    const result = await trx
      .updateTable('program_reports')
      .set({ state: 'RESOLVED', resolved_by: admin.id, resolved_at: now.toISOString(), resolution })
      .where('id', '=', reportId)
      .where('state', '=', 'OPEN')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw fail('3004', 'report_resolved');
    await appendAudit(trx, now, {
      actorKind: admin.kind,
      actorId: admin.id,
      action: 'report.resolved',
      targetType: 'report',
      targetId: reportId,
      details: { resolution, note },
      sourceAddress: admin.sourceAddress,
    });
  });
  const row = await ctx.db
    .selectFrom('program_reports')
    .selectAll()
    .where('id', '=', reportId)
    .executeTakeFirstOrThrow();
  return toReport(row);
}
