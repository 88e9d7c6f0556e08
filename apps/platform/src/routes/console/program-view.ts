import { CODE_TYPES } from '@mycard/protocol';
import type { Kysely } from 'kysely';
import { type Static, Type } from 'typebox';
import { logoPath } from '../../programs/program-logo.js';
import { BINDING_STATES, type Program } from '../../programs/program-repository.js';
import type { Database } from '../../store/schema.js';

const Url = Type.String();
const Colors = Type.Object({ background: Type.String(), foreground: Type.String() });
const Detail = Type.Union([
  Type.Object({
    kind: Type.Literal('template'),
    description: Type.String(),
    benefits: Type.String(),
    terms: Type.String(),
    contact: Type.String(),
    links: Type.Array(Type.Object({ label: Type.String(), url: Url })),
  }),
  Type.Object({ kind: Type.Literal('custom'), url: Url }),
]);

/** A program as the console API returns it. */
export const ProgramSchema = Type.Object({
  channelId: Type.String({ pattern: '^[0-9]{10}$' }),
  name: Type.String(),
  codeType: Type.Unsafe<string>({ type: 'string', enum: [...CODE_TYPES] }),
  status: Type.Unsafe<string>({ type: 'string', enum: ['DRAFT', 'LIVE', 'SUSPENDED'] }),
  bindingUrl: Url,
  webhookUrl: Type.Union([Url, Type.Null()]),
  colors: Colors,
  detail: Detail,
  /** Public path of the logo, or null when none was uploaded. */
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ProgramView = Static<typeof ProgramSchema>;

export const BindingCountsSchema = Type.Object(
  Object.fromEntries(BINDING_STATES.map((s) => [s, Type.Integer()])) as Record<
    string,
    ReturnType<typeof Type.Integer>
  >,
);

export function toProgramView(program: Program, hasLogo: boolean): ProgramView {
  return {
    channelId: program.channelId,
    name: program.name,
    codeType: program.codeType,
    status: program.status,
    bindingUrl: program.bindingUrl,
    webhookUrl: program.webhookUrl,
    colors: program.colors,
    detail: program.detail,
    logoUrl: hasLogo ? logoPath(program.channelId) : null,
    createdAt: program.createdAt,
    updatedAt: program.updatedAt,
  };
}

export async function hasProgramLogo(db: Kysely<Database>, channelId: string): Promise<boolean> {
  const row = await db
    .selectFrom('program_logos')
    .select('channel_id')
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row !== undefined;
}

export const ChannelIdParams = Type.Object(
  { channelId: Type.String({ pattern: '^[0-9]{10}$' }) },
  { additionalProperties: false },
);
