import { type TSchema, Type } from 'typebox';

/**
 * The API's shared TypeBox schemas (wallet and merchant routes). The same schema validates the
 * request, serializes the response and feeds the OpenAPI document.
 */
export const ChannelId = Type.String({ pattern: '^[0-9]{10}$', description: '10 decimal digits' });
export const BindingId = Type.String({ pattern: '^[A-Za-z0-9_-]{22,40}$', description: 'opaque base64url' });
/** Binding tokens are a few hundred bytes; completion tokens 43 chars. */
export const Token = Type.String({ minLength: 1, maxLength: 4096 });
export const MembershipCode = Type.String({ minLength: 1, maxLength: 256 });
export const IsoTime = Type.String({ format: 'date-time' });

export const CardProfile = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    level: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    points: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
    pointsExpireAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    version: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false },
);

export const Colors = Type.Object({ background: Type.String(), foreground: Type.String() });

export const Detail = Type.Union([
  Type.Object({
    kind: Type.Literal('template'),
    description: Type.String(),
    benefits: Type.String(),
    terms: Type.String(),
    contact: Type.String(),
    links: Type.Array(Type.Object({ label: Type.String(), url: Type.String() })),
  }),
  Type.Object({ kind: Type.Literal('custom'), url: Type.String() }),
]);

/** A program as the wallet sees it. */
export const ProgramView = Type.Object({
  channelId: ChannelId,
  name: Type.String(),
  codeType: Type.String(),
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  colors: Colors,
  detail: Detail,
});

/** A program the user can add (`GET /v1/programs`, `GET /v1/programs/{channelId}`). */
export const ProgramListing = Type.Object({
  ...ProgramView.properties,
  cardHeld: Type.Boolean({
    description: 'The user already holds its card (Binding Reserve would answer 3006)',
  }),
});

/** The card object of the wallet API (docs/protocol-notes.md, "Card object"). */
export const Card = Type.Object({
  bindingId: BindingId,
  channelId: ChannelId,
  state: Type.String(),
  membershipCode: Type.String(),
  boundAt: Type.String(),
  profile: Type.Union([CardProfile, Type.Null()]),
  program: ProgramView,
});

/** The success envelope around `info` (PROTOCOL.md §1). */
export function Envelope<T extends TSchema>(info: T) {
  return Type.Object({
    returnCode: Type.Literal('0000'),
    returnMessage: Type.String(),
    info,
  });
}

/** The error envelope, documented on every route for the OpenAPI document. */
export const ErrorEnvelope = Type.Object({ returnCode: Type.String(), returnMessage: Type.String() });
