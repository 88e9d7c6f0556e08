import { type Static, Type } from 'typebox';
import { WalletParticipant } from './group.js';
import {
  BINDING_STATES,
  type BindingState,
  ChannelId,
  CodeTypeSchema,
  ProgramStatusSchema,
  ProgramUrl,
} from './primitives.js';
import { Colors, Detail, DetailInput } from './program-detail.js';

/** A program's logo path (`/v1/programs/{channelId}/logo`), or null when none was uploaded. */
const LogoUrl = Type.Union([Type.String(), Type.Null()]);

/** A program as the wallet sees it (on a card, in the list of programs to add). */
export const ProgramView = Type.Object({
  channelId: ChannelId,
  name: Type.String(),
  codeType: CodeTypeSchema,
  logoUrl: LogoUrl,
  colors: Colors,
  detail: Detail,
  /**
   * A group program's ACTIVE participants, where its card is used ("Use this card at", PROTOCOL.md
   * §8). Present on the wallet's cards and `GET /v1/programs/{channelId}` for group programs only.
   */
  participants: Type.Optional(Type.Array(WalletParticipant)),
});
export type ProgramView = Static<typeof ProgramView>;

/** A program the user can add (`GET /v1/programs`, `GET /v1/programs/{channelId}`). */
export const ProgramListing = Type.Object({
  ...ProgramView.properties,
  cardHeld: Type.Boolean({
    description: 'The user already holds its card (Binding Reserve would answer 3006)',
  }),
});
export type ProgramListing = Static<typeof ProgramListing>;

// The console lists a group's participants apart (with their channels), not on the program.
const { participants: _walletOnly, ...consoleViewFields } = ProgramView.properties;

/** A program as the console API returns it (docs/console-api.md). */
export const ConsoleProgram = Type.Object({
  ...consoleViewFields,
  status: ProgramStatusSchema,
  bindingUrl: ProgramUrl,
  webhookUrl: Type.Union([ProgramUrl, Type.Null()]),
  /** The organization the program belongs to (PROTOCOL.md §7); null only for CLI-made programs. */
  organizationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ConsoleProgram = Static<typeof ConsoleProgram>;

/** A program's bindings counted by state (every state present, 0 when none). */
export const BindingCounts = Type.Object(
  Object.fromEntries(BINDING_STATES.map((s) => [s, Type.Integer()])) as Record<
    BindingState,
    ReturnType<typeof Type.Integer>
  >,
);
export type BindingCounts = Static<typeof BindingCounts>;

export const ProgramName = Type.String({ minLength: 1, maxLength: 64 });
/** A wallet user id as the wallet API knows it (e.g. `dev:alice`, `line:U…`): printable ASCII. */
export const WalletUserId = Type.String({ pattern: '^[\\x21-\\x7e]{1,128}$' });
export const Testers = Type.Array(WalletUserId, { maxItems: 100, uniqueItems: true });

/** `POST /v1/console/programs` (and `mycard program create`). */
export const NewProgramBody = Type.Object(
  {
    name: ProgramName,
    codeType: CodeTypeSchema,
    bindingUrl: ProgramUrl,
    webhookUrl: Type.Optional(Type.Union([ProgramUrl, Type.Null()])),
    colors: Type.Optional(Colors),
    detail: Type.Optional(DetailInput),
    testers: Type.Optional(Testers),
    /** The organization to register it in; default: the operator's oldest one where they may. */
    organizationId: Type.Optional(Type.String({ pattern: '^org_[A-Za-z0-9_-]{16}$' })),
  },
  { additionalProperties: false },
);
export type NewProgramBody = Static<typeof NewProgramBody>;

/** `PATCH /v1/console/programs/{channelId}`: at least one field; `webhookUrl: null` removes it. */
export const ProgramPatchBody = Type.Object(
  {
    name: Type.Optional(ProgramName),
    codeType: Type.Optional(CodeTypeSchema),
    bindingUrl: Type.Optional(ProgramUrl),
    webhookUrl: Type.Optional(Type.Union([ProgramUrl, Type.Null()])),
    colors: Type.Optional(Colors),
    detail: Type.Optional(DetailInput),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProgramPatchBody = Static<typeof ProgramPatchBody>;
