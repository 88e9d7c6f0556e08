import { type Static, Type } from 'typebox';
import { ProgramUrl } from './primitives.js';

/**
 * A program's colours and detail page (PROTOCOL.md §7). Two forms of the detail: the input the
 * console sends (template fields optional) and the detail as stored and returned (every template
 * field present: the platform fills what the input left out with '' / []).
 */

export const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb' });
export const Colors = Type.Object({ background: Color, foreground: Color }, { additionalProperties: false });
export type Colors = Static<typeof Colors>;

/** Field limits of the detail-page template (characters; links: entries). */
export const DETAIL_LIMITS = {
  description: 2000,
  benefits: 2000,
  terms: 8000,
  contact: 500,
  links: 10,
} as const;

export const DetailLink = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 64 }), url: ProgramUrl },
  { additionalProperties: false },
);
export type DetailLink = Static<typeof DetailLink>;

const templateFields = {
  description: Type.String({ maxLength: DETAIL_LIMITS.description }),
  benefits: Type.String({ maxLength: DETAIL_LIMITS.benefits }),
  terms: Type.String({ maxLength: DETAIL_LIMITS.terms }),
  contact: Type.String({ maxLength: DETAIL_LIMITS.contact }),
  links: Type.Array(DetailLink, { maxItems: DETAIL_LIMITS.links }),
};

/** A template detail as stored and returned: every field present. */
export const TemplateDetail = Type.Object(
  { kind: Type.Literal('template'), ...templateFields },
  { additionalProperties: false },
);
export type TemplateDetail = Static<typeof TemplateDetail>;

/** A template detail as the console sends it: absent fields are stored empty. */
export const TemplateDetailInput = Type.Object(
  {
    kind: Type.Literal('template'),
    description: Type.Optional(templateFields.description),
    benefits: Type.Optional(templateFields.benefits),
    terms: Type.Optional(templateFields.terms),
    contact: Type.Optional(templateFields.contact),
    links: Type.Optional(templateFields.links),
  },
  { additionalProperties: false },
);
export type TemplateDetailInput = Static<typeof TemplateDetailInput>;

export const CustomDetail = Type.Object(
  { kind: Type.Literal('custom'), url: ProgramUrl },
  { additionalProperties: false, description: 'A custom detail page, opened with a signed card context.' },
);
export type CustomDetail = Static<typeof CustomDetail>;

export const Detail = Type.Union([TemplateDetail, CustomDetail]);
export type Detail = Static<typeof Detail>;

export const DetailInput = Type.Union([TemplateDetailInput, CustomDetail]);
export type DetailInput = Static<typeof DetailInput>;
