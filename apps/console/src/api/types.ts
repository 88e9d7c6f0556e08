/**
 * The console API's shapes (docs/console-api.md): the platform's own declarations in `@mycard/wire`,
 * re-exported under the names the console uses. Types only (nothing of TypeBox reaches the bundle);
 * never declare a wire shape here.
 */
export type { CodeType } from '@mycard/protocol';
export type {
  AdminProgram,
  BundleFigures,
  BundleInvitation,
  Colors as ProgramColors,
  ConsoleBundle,
  ConsoleParticipant,
  ConsoleProgram as Program,
  ConsoleSession,
  CreatedParticipant,
  CreatedProgram,
  CustomDetail,
  Detail as ProgramDetail,
  DetailInput,
  DetailLink,
  NewBundleBody,
  NewProgramBody as NewProgramInput,
  Operator,
  ParticipantList,
  ParticipantStatus,
  ProgramDetails,
  ProgramPatchBody as ProgramPatch,
  ProgramStatus,
  ProgramSummary,
  TemplateDetail,
  TemplateDetailInput,
  WebhookDeliveries,
  WebhookDelivery,
} from '@mycard/wire';
