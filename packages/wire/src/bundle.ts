import { type Static, Type } from 'typebox';
import { ChannelId, ProgramStatusSchema } from './primitives.js';

/**
 * Campaign bundles (PROTOCOL.md §9): a platform administrator invites 2–20 programs to one campaign;
 * each program's organization accepts (JOINED) or not, and may leave at any time (LEFT).
 */

/** `bd_` and 16 base64url characters. */
export const BundleId = Type.String({ pattern: '^bd_[A-Za-z0-9_-]{16}$' });
export const BundleName = Type.String({ minLength: 1, maxLength: 64 });
export const BundleDescription = Type.String({ maxLength: 500 });
export const BUNDLE_MIN_PROGRAMS = 2;
export const BUNDLE_MAX_PROGRAMS = 20;
/** Banner image: the logo rules (PNG, JPEG or WebP, checked by content), at most 1 MiB. */
export const BUNDLE_BANNER_MAX_BYTES = 1024 * 1024;

const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 UTC' });
const BundlePrograms = Type.Array(ChannelId, {
  minItems: BUNDLE_MIN_PROGRAMS,
  maxItems: BUNDLE_MAX_PROGRAMS,
  uniqueItems: true,
});

/** A program's place in a bundle: invited (waiting for its organization), joined, or left. */
export const BUNDLE_MEMBER_STATES = ['INVITED', 'JOINED', 'LEFT'] as const;
export type BundleMemberState = (typeof BUNDLE_MEMBER_STATES)[number];
export const BundleMemberStateSchema = Type.Unsafe<BundleMemberState>({
  type: 'string',
  enum: [...BUNDLE_MEMBER_STATES],
});

/** `POST /v1/console/admin/bundles`. */
export const NewBundleBody = Type.Object(
  {
    name: BundleName,
    description: Type.Optional(BundleDescription),
    startsAt: Instant,
    endsAt: Instant,
    channelIds: BundlePrograms,
  },
  { additionalProperties: false },
);
export type NewBundleBody = Static<typeof NewBundleBody>;

/** `PATCH /v1/console/admin/bundles/{bundleId}`: only the fields sent change. */
export const BundlePatchBody = Type.Object(
  {
    name: Type.Optional(BundleName),
    description: Type.Optional(BundleDescription),
    startsAt: Type.Optional(Instant),
    endsAt: Type.Optional(Instant),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type BundlePatchBody = Static<typeof BundlePatchBody>;

/** `PUT /v1/console/admin/bundles/{bundleId}/programs`: the programs invited (2–20). */
export const BundleProgramsBody = Type.Object(
  { channelIds: BundlePrograms },
  { additionalProperties: false },
);
export type BundleProgramsBody = Static<typeof BundleProgramsBody>;

/** A program of a bundle as the console shows it. */
export const BundleMember = Type.Object({
  channelId: ChannelId,
  name: Type.String(),
  status: ProgramStatusSchema,
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  state: BundleMemberStateSchema,
  invitedAt: Type.String(),
  /** When the organization accepted or left (null while invited). */
  decidedAt: Type.Union([Type.String(), Type.Null()]),
});
export type BundleMember = Static<typeof BundleMember>;

/** A bundle in the console (administrators). */
export const ConsoleBundle = Type.Object({
  bundleId: BundleId,
  name: Type.String(),
  description: Type.String(),
  bannerUrl: Type.Union([Type.String(), Type.Null()]),
  startsAt: Type.String(),
  endsAt: Type.String(),
  /** The wallet page of the bundle: the link to share (and its QR code). */
  walletUrl: Type.String(),
  programs: Type.Array(BundleMember),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ConsoleBundle = Static<typeof ConsoleBundle>;

/** An invitation or membership of one of the operator's programs (`GET /v1/console/bundles`). */
export const BundleInvitation = Type.Object({
  bundleId: BundleId,
  name: Type.String(),
  description: Type.String(),
  bannerUrl: Type.Union([Type.String(), Type.Null()]),
  startsAt: Type.String(),
  endsAt: Type.String(),
  channelId: ChannelId,
  programName: Type.String(),
  state: BundleMemberStateSchema,
  invitedAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  /** Whether the operator's role may accept or leave (owner, admin). */
  canDecide: Type.Boolean(),
});
export type BundleInvitation = Static<typeof BundleInvitation>;

const Count = Type.Integer({ minimum: 0 });

/** `GET /v1/console/admin/bundles/{bundleId}/figures`. */
export const BundleFigures = Type.Object({
  bundleId: BundleId,
  generatedAt: Type.String(),
  /** Bundle page opens (every `GET /v1/bundles/{bundleId}` answered with the bundle). */
  views: Count,
  /** Distinct wallet users who opened it. */
  viewers: Count,
  /** Binding Reserve calls that named the bundle. */
  reservations: Count,
  /** Those reservations that became a card. */
  cardsAdded: Count,
  /** Viewers who added at least one card through the bundle. */
  convertedViewers: Count,
  /** convertedViewers / viewers (0 when no viewer). */
  conversion: Type.Number({ minimum: 0, maximum: 1 }),
  programs: Type.Array(
    Type.Object({
      channelId: ChannelId,
      name: Type.String(),
      state: BundleMemberStateSchema,
      reservations: Count,
      cardsAdded: Count,
      /** cardsAdded / viewers (0 when no viewer). */
      conversion: Type.Number({ minimum: 0, maximum: 1 }),
    }),
  ),
});
export type BundleFigures = Static<typeof BundleFigures>;

/** A program of a bundle as the wallet shows it (PROTOCOL.md §9). */
export const WalletBundleProgram = Type.Object({
  channelId: ChannelId,
  name: Type.String(),
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  cardHeld: Type.Boolean(),
});
export type WalletBundleProgram = Static<typeof WalletBundleProgram>;

/** `GET /v1/bundles/{bundleId}` (wallet session). */
export const WalletBundle = Type.Object({
  bundle: Type.Object({
    bundleId: BundleId,
    name: Type.String(),
    description: Type.String(),
    bannerUrl: Type.Union([Type.String(), Type.Null()]),
    startsAt: Type.String(),
    endsAt: Type.String(),
    programs: Type.Array(WalletBundleProgram),
  }),
});
export type WalletBundle = Static<typeof WalletBundle>;
