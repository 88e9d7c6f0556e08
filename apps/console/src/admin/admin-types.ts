/**
 * The admin API's shapes: the platform's declarations in `@mycard/wire` (types only, never a hand
 * copy of a wire shape).
 */
export type {
  AdminProgram,
  AuditEntry,
  ConsoleProgram as Program,
  LookAlike,
  Notice,
  NoticeKind,
  PlatformFigures,
  QueuedReview,
  Report,
  Review,
  ReviewScreen,
} from '@mycard/wire';
