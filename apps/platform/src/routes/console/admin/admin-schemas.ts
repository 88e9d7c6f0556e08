import { Type } from 'typebox';

export {
  AdminProgram as AdminProgramSchema,
  AuditEntry as AuditEntrySchema,
  Report as ReportSchema,
} from '@mycard/wire';

export const tags = ['admin'];
export const security = [{ consoleSession: [] }];

/** A reason or note written by an administrator (shown to the operator). */
export const ReasonText = Type.String({ minLength: 1, maxLength: 500 });

export const ReviewIdParams = Type.Object(
  { reviewId: Type.String({ pattern: '^rv_[A-Za-z0-9_-]{10,40}$' }) },
  { additionalProperties: false },
);
export const ReportIdParams = Type.Object(
  { reportId: Type.String({ pattern: '^rp_[A-Za-z0-9_-]{10,40}$' }) },
  { additionalProperties: false },
);
