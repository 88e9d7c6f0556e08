import type { Detail } from '@mycard/wire';
import type { Kysely, Transaction } from 'kysely';
import type { PlatformConfig } from '../../config.js';
import type { Database, ProgramReviewTable, ReviewKind, ReviewState } from '../../store/schema.js';

/** Whether going live and changes of a LIVE program wait for a platform administrator (§7). */
export function reviewRequired(config: Pick<PlatformConfig, 'programReview'>): boolean {
  return config.programReview === 'required';
}

/** The fields of a program that are reviewed (PROTOCOL.md §7), besides the logo. */
export interface ReviewedFields {
  name?: string;
  bindingUrl?: string;
  detail?: Detail;
}

/** A review as the platform's code uses it (the logo bytes are read separately). */
export interface ProgramReview {
  reviewId: string;
  channelId: string;
  kind: ReviewKind;
  state: ReviewState;
  changes: ReviewedFields;
  /** The proposed logo's type (a revision that changes the logo), else null. */
  logoContentType: string | null;
  logoDhash: string | null;
  requestedBy: string | null;
  requestedAt: string;
  updatedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reasons: string[];
}

export const REVIEW_COLUMNS = [
  'id',
  'channel_id',
  'kind',
  'state',
  'changes',
  'logo_content_type',
  'logo_dhash',
  'requested_by',
  'requested_at',
  'updated_at',
  'decided_by',
  'decided_at',
  'reasons',
] as const;

type ReviewRow = Omit<ProgramReviewTable, 'logo_base64'>;

export function toReview(row: ReviewRow): ProgramReview {
  return {
    reviewId: row.id,
    channelId: row.channel_id,
    kind: row.kind,
    state: row.state,
    changes: JSON.parse(row.changes) as ReviewedFields,
    logoContentType: row.logo_content_type,
    logoDhash: row.logo_dhash,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    updatedAt: row.updated_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reasons: row.reasons ? (JSON.parse(row.reasons) as string[]) : [],
  };
}

type Db = Kysely<Database> | Transaction<Database>;

export async function getReview(db: Db, reviewId: string): Promise<ProgramReview | undefined> {
  const row = await db
    .selectFrom('program_reviews')
    .select(REVIEW_COLUMNS)
    .where('id', '=', reviewId)
    .executeTakeFirst();
  return row ? toReview(row) : undefined;
}

/** The program's open review (a go-live request or a pending revision), if any. */
export async function pendingReviewOf(db: Db, channelId: string): Promise<ProgramReview | undefined> {
  const row = await db
    .selectFrom('program_reviews')
    .select(REVIEW_COLUMNS)
    .where('channel_id', '=', channelId)
    .where('state', '=', 'PENDING')
    .executeTakeFirst();
  return row ? toReview(row) : undefined;
}

/** Marks a still-PENDING review WITHDRAWN (a no-op once it was decided). */
export async function markReviewWithdrawn(db: Db, reviewId: string, now: Date): Promise<void> {
  await db
    .updateTable('program_reviews')
    .set({ state: 'WITHDRAWN', updated_at: now.toISOString() })
    .where('id', '=', reviewId)
    .where('state', '=', 'PENDING')
    .execute();
}

/** Every review of a program, newest first (the review screen's history). */
export async function reviewsOf(db: Db, channelId: string, limit = 50): Promise<ProgramReview[]> {
  const rows = await db
    .selectFrom('program_reviews')
    .select(REVIEW_COLUMNS)
    .where('channel_id', '=', channelId)
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toReview);
}

/** The latest decided review of a program (what the operator is told), if any. */
export async function lastDecisionOf(db: Db, channelId: string): Promise<ProgramReview | undefined> {
  const row = await db
    .selectFrom('program_reviews')
    .select(REVIEW_COLUMNS)
    .where('channel_id', '=', channelId)
    .where('state', 'in', ['APPROVED', 'REJECTED'])
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? toReview(row) : undefined;
}

/** Open reviews across the platform, oldest first (the admin queue). */
export async function listPendingReviews(db: Db, limit = 200): Promise<ProgramReview[]> {
  const rows = await db
    .selectFrom('program_reviews')
    .select(REVIEW_COLUMNS)
    .where('state', '=', 'PENDING')
    .orderBy('requested_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toReview);
}

/** The proposed logo's bytes of a review, if it has one. */
export async function reviewLogo(
  db: Db,
  reviewId: string,
): Promise<{ contentType: string; data: Buffer } | undefined> {
  const row = await db
    .selectFrom('program_reviews')
    .select(['logo_content_type', 'logo_base64'])
    .where('id', '=', reviewId)
    .executeTakeFirst();
  if (!row?.logo_content_type || !row.logo_base64) return undefined;
  return { contentType: row.logo_content_type, data: Buffer.from(row.logo_base64, 'base64') };
}
