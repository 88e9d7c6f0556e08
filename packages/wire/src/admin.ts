import { type Static, Type } from 'typebox';
import { ConsoleProgram } from './program.js';
import { Detail } from './program-detail.js';

/**
 * Shapes of program review and the platform administrators' API (issue 14; docs/console-api.md,
 * "Platform administration"): reviews, notices, the admin program list, reports, audit entries,
 * the review screen and the figures.
 */

export const REVIEW_KINDS = ['go-live', 'revision'] as const;
export const REVIEW_STATES = ['PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN'] as const;

/** A review: a go-live request, or a revision of a LIVE program's name, logo, binding URL or detail. */
export const Review = Type.Object({
  reviewId: Type.String(),
  channelId: Type.String(),
  kind: Type.Unsafe<(typeof REVIEW_KINDS)[number]>({ type: 'string', enum: [...REVIEW_KINDS] }),
  state: Type.Unsafe<(typeof REVIEW_STATES)[number]>({ type: 'string', enum: [...REVIEW_STATES] }),
  /** The reviewed fields proposed (go-live: the program as it was when asked). */
  changes: Type.Object({
    name: Type.Optional(Type.String()),
    bindingUrl: Type.Optional(Type.String()),
    detail: Type.Optional(Detail),
  }),
  /** The proposed logo (a revision that changes it): for the operator and administrators only. */
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  requestedAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  reasons: Type.Array(Type.String()),
});
export type Review = Static<typeof Review>;

/** What the program screen says about review. */
export const ReviewStatus = Type.Object({
  /** MYCARD_PROGRAM_REVIEW=required: going live and changes of a LIVE program are reviewed. */
  required: Type.Boolean(),
  pending: Type.Union([Review, Type.Null()]),
  lastDecision: Type.Union([Review, Type.Null()]),
});
export type ReviewStatus = Static<typeof ReviewStatus>;

export const NOTICE_KINDS = [
  'go-live.approved',
  'go-live.rejected',
  'revision.approved',
  'revision.rejected',
  'program.suspended',
  'program.reinstated',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What an operator is told: review decisions (with reasons) and suspensions. */
export const Notice = Type.Object({
  noticeId: Type.Integer(),
  channelId: Type.String(),
  kind: Type.Unsafe<NoticeKind>({ type: 'string', enum: [...NOTICE_KINDS] }),
  reasons: Type.Array(Type.String()),
  createdAt: Type.String(),
  read: Type.Boolean(),
});
export type Notice = Static<typeof Notice>;

/** A program in the administrators' list. */
export const AdminProgram = Type.Object({
  channelId: Type.String(),
  name: Type.String(),
  status: Type.String(),
  bindingUrl: Type.String(),
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  operatorId: Type.Union([Type.String(), Type.Null()]),
  operatorEmail: Type.Union([Type.String(), Type.Null()]),
  activeCards: Type.Integer(),
  pendingReview: Type.Union([Type.Literal('go-live'), Type.Literal('revision'), Type.Null()]),
  openReports: Type.Integer(),
  createdAt: Type.String(),
});
export type AdminProgram = Static<typeof AdminProgram>;

export const REPORT_REASONS = ['impersonation', 'scam', 'inappropriate', 'broken', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** `POST /v1/programs/{channelId}/reports` (wallet). */
export const ReportBody = Type.Object(
  {
    reason: Type.Unsafe<ReportReason>({ type: 'string', enum: [...REPORT_REASONS] }),
    text: Type.Optional(Type.String({ maxLength: 1000 })),
    bindingId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{22,40}$' })),
  },
  { additionalProperties: false },
);
export type ReportBody = Static<typeof ReportBody>;

/** A wallet user's report as administrators see it (never the user id). */
export const Report = Type.Object({
  reportId: Type.String(),
  channelId: Type.String(),
  bindingId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  text: Type.String(),
  state: Type.String(),
  createdAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
});
export type Report = Static<typeof Report>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorKind: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  sourceAddress: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** A LIVE program put beside a reviewed one (match: by name; distance: logo dHash bits). */
export const LookAlike = Type.Object({
  channelId: Type.String(),
  name: Type.String(),
  status: Type.String(),
  operatorId: Type.Union([Type.String(), Type.Null()]),
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  bindingHost: Type.String(),
  match: Type.Optional(Type.String()),
  distance: Type.Optional(Type.Integer()),
});
export type LookAlike = Static<typeof LookAlike>;

/** `GET /v1/console/admin/reviews/{reviewId}`: the review screen. */
export const ReviewScreen = Type.Object({
  review: Review,
  program: ConsoleProgram,
  proposed: Type.Object({
    name: Type.String(),
    bindingUrl: Type.String(),
    bindingHost: Type.String(),
    detail: Detail,
    logoUrl: Type.Union([Type.String(), Type.Null()]),
  }),
  lookAlikes: Type.Object({
    byName: Type.Array(LookAlike),
    byLogo: Type.Array(LookAlike),
    byBindingHost: Type.Array(LookAlike),
  }),
  organization: Type.Object({
    operatorId: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    displayName: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.Union([Type.String(), Type.Null()]),
    programs: Type.Array(
      Type.Object({ channelId: Type.String(), name: Type.String(), status: Type.String() }),
    ),
  }),
  history: Type.Object({ reviews: Type.Array(Review), audit: Type.Array(AuditEntry) }),
  reports: Type.Array(Report),
});
export type ReviewScreen = Static<typeof ReviewScreen>;

/** A row of the review queue. */
export const QueuedReview = Type.Object({
  review: Review,
  programName: Type.String(),
  status: Type.String(),
  logoUrl: Type.Union([Type.String(), Type.Null()]),
});
export type QueuedReview = Static<typeof QueuedReview>;

const Count = Type.Integer({ minimum: 0 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** `GET /v1/console/admin/figures`: the platform's figures. */
export const PlatformFigures = Type.Object({
  generatedAt: Type.String(),
  from: Day,
  to: Day,
  programs: Type.Object({ DRAFT: Count, IN_REVIEW: Count, LIVE: Count, SUSPENDED: Count }),
  pendingRevisions: Count,
  openReports: Count,
  activeCards: Count,
  pausedCards: Count,
  bindingsPerDay: Type.Array(
    Type.Object({ day: Day, started: Count, completed: Count, cancelled: Count, expired: Count }),
  ),
  merchantApi: Type.Object({
    calls: Count,
    errors: Count,
    errorRate: Type.Number(),
    byReturnCode: Type.Array(Type.Object({ returnCode: Type.String(), calls: Count })),
    perDay: Type.Array(Type.Object({ day: Day, calls: Count, errors: Count })),
  }),
  webhooks: Type.Array(
    Type.Object({
      channelId: Type.String(),
      name: Type.String(),
      delivered: Count,
      pending: Count,
      retrying: Count,
      abandoned: Count,
    }),
  ),
});
export type PlatformFigures = Static<typeof PlatformFigures>;
