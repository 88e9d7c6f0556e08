/**
 * The wallet API's shapes (PROTOCOL.md §4–§5): the platform's own declarations in `@mycard/wire`,
 * re-exported under the names the wallet uses. Types only (nothing of TypeBox reaches the bundle);
 * never declare a wire shape here.
 */
export type { CodeType } from '@mycard/protocol';
export type {
  BindingPreview,
  CallbackStatus,
  Card,
  CardProfile,
  Colors as ProgramColors,
  Detail as ProgramDetail,
  DetailLink,
  DetailPageLink,
  InboxMessage,
  MuteResult,
  OneTimeKeyInfo as OneTimeKey,
  OneTimeKeyStatus,
  ProgramListing as ProgramSummary,
  ProgramView,
  ReportBody,
  ReportReason,
  Reservation,
  WalletBundle,
  WalletBundleProgram,
  WalletConfig,
  WalletSession,
} from '@mycard/wire';
