import type { ConsoleParticipant, ParticipantStatus, WalletParticipant } from '@mycard/wire';
import type { Kysely } from 'kysely';
import type { PlatformContext } from '../context.js';
import { newChannelId, newChannelSecret, randomToken } from '../crypto/tokens.js';
import { fail } from '../http/errors.js';
import { channelSecretInfo } from '../programs/channel-secrets.js';
import { isUniqueViolation } from '../store/dialect.js';
import type { Database, ParticipantTable } from '../store/schema.js';

type Ctx = Pick<PlatformContext, 'db' | 'secrets' | 'now'>;

/** A participant of a group program (PROTOCOL.md §8) as the platform's code uses it. */
export interface Participant {
  participantId: string;
  /** Its own channel: what it signs its calls with. */
  channelId: string;
  /** The group program's channel: whose cards it may look up. */
  programChannelId: string;
  name: string;
  status: ParticipantStatus;
  hasLogo: boolean;
  logoUpdatedAt: string | null;
  /** Version of its secrets (bumped by a rotation): the signature key cache's validity. */
  secretsVersion: number;
  createdAt: string;
  updatedAt: string;
}

function toParticipant(
  row: Omit<ParticipantTable, 'logo_base64' | 'secrets_version'> & { secrets_version: number },
): Participant {
  return {
    participantId: row.id,
    channelId: row.channel_id,
    programChannelId: row.program_channel_id,
    name: row.name,
    status: row.status,
    hasLogo: row.logo_content_type !== null,
    logoUpdatedAt: row.logo_updated_at,
    secretsVersion: Number(row.secrets_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const COLUMNS = [
  'id',
  'channel_id',
  'program_channel_id',
  'name',
  'status',
  'logo_content_type',
  'logo_updated_at',
  'secrets_version',
  'created_at',
  'updated_at',
] as const;

/** Public path of a participant's logo (routes/public/participant-logo.ts). */
export function participantLogoPath(participantId: string): string {
  return `/v1/participants/${participantId}/logo`;
}

/** Whether the program is a group program. */
export async function isGroupProgram(db: Kysely<Database>, channelId: string): Promise<boolean> {
  const row = await db
    .selectFrom('group_programs')
    .select('channel_id')
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Makes a program a group program; idempotent (a second call changes nothing). */
export async function makeGroupProgram(ctx: Pick<PlatformContext, 'db' | 'now'>, channelId: string) {
  await ctx.db
    .insertInto('group_programs')
    .values({ channel_id: channelId, created_at: ctx.now().toISOString() })
    .onConflict((oc) => oc.column('channel_id').doNothing())
    .execute();
}

/** The participant whose own channel is `channelId` (the HMAC hook's second lookup), if any. */
export async function findParticipantByChannel(
  db: Kysely<Database>,
  channelId: string,
): Promise<Participant | undefined> {
  const row = await db
    .selectFrom('program_participants')
    .select(COLUMNS)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row ? toParticipant(row) : undefined;
}

/** A participant of the given program (4004 when it is unknown or another program's). */
export async function requireParticipant(
  db: Kysely<Database>,
  programChannelId: string,
  participantId: string,
): Promise<Participant> {
  const row = await db
    .selectFrom('program_participants')
    .select(COLUMNS)
    .where('id', '=', participantId)
    .where('program_channel_id', '=', programChannelId)
    .executeTakeFirst();
  if (!row) throw fail('4004', 'participant_not_found');
  return toParticipant(row);
}

/** A program's participants, oldest first. */
export async function listParticipants(
  db: Kysely<Database>,
  programChannelId: string,
): Promise<Participant[]> {
  const rows = await db
    .selectFrom('program_participants')
    .select(COLUMNS)
    .where('program_channel_id', '=', programChannelId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toParticipant);
}

/**
 * Adds a participant to a group program (3004 when the program is not one) and issues its channel
 * id and secret. The secret is returned once, here, and stored sealed in `program_secrets` under the
 * participant's channel id, like a program's. The channel id is drawn again when it is taken by a
 * program or another participant.
 */
export async function createParticipant(
  ctx: Ctx,
  programChannelId: string,
  name: string,
): Promise<{ participant: Participant; channelSecret: string }> {
  if (!(await isGroupProgram(ctx.db, programChannelId))) throw fail('3004', 'program_not_group');
  const now = ctx.now().toISOString();
  const channelSecret = newChannelSecret();
  const id = `pt_${randomToken(12)}`;
  for (let attempt = 0; ; attempt++) {
    const channelId = newChannelId();
    const taken = await ctx.db
      .selectFrom('programs')
      .select('channel_id')
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    if (taken) continue;
    try {
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('program_participants')
          .values({
            id,
            channel_id: channelId,
            program_channel_id: programChannelId,
            name,
            status: 'ACTIVE',
            logo_content_type: null,
            logo_base64: null,
            logo_updated_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await trx
          .insertInto('program_secrets')
          .values({
            channel_id: channelId,
            secret_enc: ctx.secrets.seal(channelSecret, channelId),
            created_at: now,
            expires_at: null,
          })
          .execute();
      });
      const participant = await requireParticipant(ctx.db, programChannelId, id);
      return { participant, channelSecret };
    } catch (err) {
      if (attempt < 5 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/** Renames, suspends or reinstates a participant. */
export async function updateParticipant(
  ctx: Pick<PlatformContext, 'db' | 'now'>,
  participant: Participant,
  changes: { name?: string; status?: ParticipantStatus },
): Promise<Participant> {
  await ctx.db
    .updateTable('program_participants')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      updated_at: ctx.now().toISOString(),
    })
    .where('id', '=', participant.participantId)
    .execute();
  return requireParticipant(ctx.db, participant.programChannelId, participant.participantId);
}

/** Stores (or replaces) a participant's logo; the caller checked type (by content) and size. */
export async function saveParticipantLogo(
  ctx: Pick<PlatformContext, 'db' | 'now'>,
  participantId: string,
  contentType: string,
  data: Buffer,
): Promise<void> {
  await ctx.db
    .updateTable('program_participants')
    .set({
      logo_content_type: contentType,
      logo_base64: data.toString('base64'),
      logo_updated_at: ctx.now().toISOString(),
    })
    .where('id', '=', participantId)
    .execute();
}

/** A participant's logo bytes and type, for the public logo route. */
export async function getParticipantLogo(
  db: Kysely<Database>,
  participantId: string,
): Promise<{ contentType: string; data: Buffer } | undefined> {
  const row = await db
    .selectFrom('program_participants')
    .select(['logo_content_type', 'logo_base64'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!row?.logo_content_type || row.logo_base64 === null) return undefined;
  return { contentType: row.logo_content_type, data: Buffer.from(row.logo_base64, 'base64') };
}

/** A participant as the console shows it, with its secret's dates (never the secret). */
export async function toConsoleParticipant(ctx: Ctx, p: Participant): Promise<ConsoleParticipant> {
  return {
    participantId: p.participantId,
    channelId: p.channelId,
    name: p.name,
    status: p.status,
    logoUrl: p.hasLogo ? participantLogoPath(p.participantId) : null,
    secret: await channelSecretInfo(ctx, p.channelId),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/**
 * The ACTIVE participants of each group program among `channelIds`, as the wallet shows them
 * ("Use this card at"); a program that is no group is absent from the map.
 */
export async function walletParticipantsOf(
  db: Kysely<Database>,
  channelIds: string[],
): Promise<Map<string, WalletParticipant[]>> {
  const out = new Map<string, WalletParticipant[]>();
  if (channelIds.length === 0) return out;
  const unique = [...new Set(channelIds)];
  const groups = await db
    .selectFrom('group_programs')
    .select('channel_id')
    .where('channel_id', 'in', unique)
    .execute();
  if (groups.length === 0) return out;
  for (const g of groups) out.set(g.channel_id, []);
  const rows = await db
    .selectFrom('program_participants')
    .select(COLUMNS)
    .where(
      'program_channel_id',
      'in',
      groups.map((g) => g.channel_id),
    )
    .where('status', '=', 'ACTIVE')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const p = toParticipant(row);
    out.get(p.programChannelId)?.push({
      participantId: p.participantId,
      name: p.name,
      logoUrl: p.hasLogo ? participantLogoPath(p.participantId) : null,
    });
  }
  return out;
}
