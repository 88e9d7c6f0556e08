import { ChannelId, type ConsoleProgram } from '@mycard/wire';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { logoPath } from '../../programs/program-logo.js';
import type { Program } from '../../programs/program-repository.js';
import type { Database } from '../../store/schema.js';

/** A program as the console API returns it (the `ConsoleProgram` wire shape). */
export function toProgramView(program: Program, hasLogo: boolean): ConsoleProgram {
  return {
    channelId: program.channelId,
    name: program.name,
    codeType: program.codeType,
    status: program.status,
    bindingUrl: program.bindingUrl,
    webhookUrl: program.webhookUrl,
    organizationId: program.organizationId,
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

export const ChannelIdParams = Type.Object({ channelId: ChannelId }, { additionalProperties: false });
