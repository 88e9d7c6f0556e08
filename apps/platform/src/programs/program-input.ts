import { CODE_TYPES, type CodeType, checkProgramUrl } from '@mycard/protocol';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The shape of program registration input (PROTOCOL.md §7), shared by the console API (route
 * schemas: validation and OpenAPI) and the CLI (`mycard program create`). JSON Schema covers types,
 * lengths and patterns; {@link checkProgramUrls} adds what a schema cannot say about URLs.
 */

/** A URL field: at most 2048 characters; scheme, host and credentials are checked by checkProgramUrl. */
export const UrlSchema = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'https URL (http only for localhost)',
});
export const ColorSchema = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb' });
export const CodeTypeSchema = Type.Unsafe<CodeType>({ type: 'string', enum: [...CODE_TYPES] });
export const ProgramNameSchema = Type.String({ minLength: 1, maxLength: 64 });
/** A wallet user id as the wallet API knows it (e.g. `dev:alice`, `line:U…`): printable ASCII. */
export const WalletUserIdSchema = Type.String({ pattern: '^[\\x21-\\x7e]{1,128}$' });
export const TestersSchema = Type.Array(WalletUserIdSchema, { maxItems: 100, uniqueItems: true });

export const ColorsSchema = Type.Object(
  { background: ColorSchema, foreground: ColorSchema },
  { additionalProperties: false },
);

/** Field limits of the detail-page template (characters). */
export const DETAIL_LIMITS = {
  description: 2000,
  benefits: 2000,
  terms: 8000,
  contact: 500,
  links: 10,
} as const;

const LinkSchema = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 64 }), url: UrlSchema },
  { additionalProperties: false },
);

export const TemplateDetailSchema = Type.Object(
  {
    kind: Type.Literal('template'),
    description: Type.Optional(Type.String({ maxLength: DETAIL_LIMITS.description })),
    benefits: Type.Optional(Type.String({ maxLength: DETAIL_LIMITS.benefits })),
    terms: Type.Optional(Type.String({ maxLength: DETAIL_LIMITS.terms })),
    contact: Type.Optional(Type.String({ maxLength: DETAIL_LIMITS.contact })),
    links: Type.Optional(Type.Array(LinkSchema, { maxItems: DETAIL_LIMITS.links })),
  },
  { additionalProperties: false },
);

export const CustomDetailSchema = Type.Object(
  { kind: Type.Literal('custom'), url: UrlSchema },
  { additionalProperties: false, description: 'A custom detail page, opened with a signed card context.' },
);

export const DetailInputSchema = Type.Union([TemplateDetailSchema, CustomDetailSchema]);

export const NewProgramSchema = Type.Object(
  {
    name: ProgramNameSchema,
    codeType: CodeTypeSchema,
    bindingUrl: UrlSchema,
    webhookUrl: Type.Optional(Type.Union([UrlSchema, Type.Null()])),
    colors: Type.Optional(ColorsSchema),
    detail: Type.Optional(DetailInputSchema),
    testers: Type.Optional(TestersSchema),
  },
  { additionalProperties: false },
);
export type NewProgramInput = Static<typeof NewProgramSchema>;

export const ProgramPatchSchema = Type.Object(
  {
    name: Type.Optional(ProgramNameSchema),
    codeType: Type.Optional(CodeTypeSchema),
    bindingUrl: Type.Optional(UrlSchema),
    webhookUrl: Type.Optional(Type.Union([UrlSchema, Type.Null()])),
    colors: Type.Optional(ColorsSchema),
    detail: Type.Optional(DetailInputSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProgramPatchInput = Static<typeof ProgramPatchSchema>;

/** The URL fields of a program input, with their JSON paths. */
function urlFields(input: {
  bindingUrl?: string | undefined;
  webhookUrl?: string | null | undefined;
  detail?: Static<typeof DetailInputSchema> | undefined;
}): [string, string][] {
  const out: [string, string][] = [];
  if (input.bindingUrl !== undefined) out.push(['/bindingUrl', input.bindingUrl]);
  if (typeof input.webhookUrl === 'string') out.push(['/webhookUrl', input.webhookUrl]);
  if (input.detail?.kind === 'custom') out.push(['/detail/url', input.detail.url]);
  if (input.detail?.kind === 'template') {
    input.detail.links?.forEach((link, i) => {
      out.push([`/detail/links/${i}/url`, link.url]);
    });
  }
  return out;
}

/** The first URL field that fails {@link checkProgramUrl}, as `{path, reason}`, or undefined. */
export function checkProgramUrls(
  input: Parameters<typeof urlFields>[0],
): { path: string; reason: string } | undefined {
  for (const [path, value] of urlFields(input)) {
    const reason = checkProgramUrl(value);
    if (reason) return { path, reason };
  }
  return undefined;
}

/**
 * Validates a new program outside HTTP (the CLI): the same schema the console API uses, then the
 * URL rules. Returns the problems as `path: message` lines; empty when the input is valid.
 */
export function validateNewProgram(input: unknown): string[] {
  if (!Value.Check(NewProgramSchema, input)) {
    return [...Value.Errors(NewProgramSchema, input)]
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'}: ${e.message}`);
  }
  const bad = checkProgramUrls(input);
  return bad ? [`${bad.path}: URL not allowed (${bad.reason}); use https (http only for localhost)`] : [];
}
