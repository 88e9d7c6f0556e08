import { type Static, Type } from 'typebox';
import { ReviewStatus } from './admin.js';
import { OrganizationRole } from './organization.js';
import { BindingCounts, ConsoleProgram } from './program.js';

/** The bodies of the console API (docs/console-api.md) besides the program itself. */

export const Operator = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  createdAt: Type.String(),
  /** `platform-admin` for the people who run the platform (PROTOCOL.md §9), else null. */
  platformRole: Type.Union([Type.Literal('platform-admin'), Type.Null()]),
});
export type Operator = Static<typeof Operator>;

/** Sign-up and sign-in: the operator and when the session ends. */
export const ConsoleSession = Type.Object({ operator: Operator, expiresAt: Type.String() });
export type ConsoleSession = Static<typeof ConsoleSession>;

/**
 * A row of `GET /v1/console/programs`: the program, its bindings counted by state and the signed-in
 * operator's role in the program's organization (what the console offers follows from it).
 */
export const ProgramSummary = Type.Object({
  program: ConsoleProgram,
  bindings: BindingCounts,
  role: OrganizationRole,
});
export type ProgramSummary = Static<typeof ProgramSummary>;

/** `POST /v1/console/programs`: the channel secret is shown here (and by reveal) only. */
export const CreatedProgram = Type.Object({ program: ConsoleProgram, channelSecret: Type.String() });
export type CreatedProgram = Static<typeof CreatedProgram>;

/** `GET /v1/console/programs/{channelId}`. */
export const ProgramDetails = Type.Object({
  program: ConsoleProgram,
  testers: Type.Array(Type.String()),
  secret: Type.Object({
    createdAt: Type.String(),
    previousExpiresAt: Type.Union([Type.String(), Type.Null()]),
  }),
  jwksUrl: Type.String(),
  publicKeyPem: Type.String(),
  review: ReviewStatus,
  /** The signed-in operator's role in the program's organization. */
  role: OrganizationRole,
});
export type ProgramDetails = Static<typeof ProgramDetails>;

/** One webhook event of a program as the console lists it (`GET …/programs/{channelId}/webhooks`). */
export const WebhookDelivery = Type.Object({
  eventId: Type.String(),
  type: Type.String(),
  createdAt: Type.String(),
  attempts: Type.Integer(),
  /** HTTP status of the last attempt; null before the first or when no response came. */
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  /** When the next attempt is due; null once delivered or abandoned. */
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('abandoned')]),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

/** `GET /v1/console/programs/{channelId}/webhooks`: the newest 50, newest first. */
export const WebhookDeliveries = Type.Object({ deliveries: Type.Array(WebhookDelivery) });
export type WebhookDeliveries = Static<typeof WebhookDeliveries>;
