import type { CodeType } from '@mycard/protocol';
import type { BindingCounts, Colors, Detail, DetailInput } from '@mycard/wire';
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { newChannelId, newChannelSecret } from '../crypto/tokens.js';
import { fail } from '../http/errors.js';
import { defaultOrganizationFor } from '../organizations/organization-repository.js';
import { compiledOnce, slot } from '../store/compiled-query.js';
import { isUniqueViolation } from '../store/dialect.js';
import type { Database, OrganizationRole, ProgramStatus, ProgramTable } from '../store/schema.js';

/** A program as the platform's code uses it (the row with its JSON columns parsed). */
export interface Program {
  channelId: string;
  operatorId: string | null;
  /** The organization it belongs to (PROTOCOL.md §7); its members' roles decide who may do what. */
  organizationId: string | null;
  name: string;
  codeType: CodeType;
  bindingUrl: string;
  webhookUrl: string | null;
  status: ProgramStatus;
  colors: Colors;
  detail: Detail;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_COLORS: Colors = { background: '#0f766e', foreground: '#ffffff' };
export const EMPTY_DETAIL: Detail = {
  kind: 'template',
  description: '',
  benefits: '',
  terms: '',
  contact: '',
  links: [],
};

export interface NewProgram {
  name: string;
  codeType: CodeType;
  bindingUrl: string;
  webhookUrl?: string | null;
  status?: ProgramStatus;
  colors?: Colors;
  detail?: Detail;
  operatorId?: string | null;
  /** Default: the oldest organization where `operatorId` may register programs. */
  organizationId?: string | null;
  testers?: string[];
}

export function toProgram(row: Omit<ProgramTable, 'secrets_version'>): Program {
  return {
    channelId: row.channel_id,
    operatorId: row.operator_id,
    organizationId: row.organization_id,
    name: row.name,
    codeType: row.code_type as CodeType,
    bindingUrl: row.binding_url,
    webhookUrl: row.webhook_url,
    status: row.status,
    colors: JSON.parse(row.colors) as Colors,
    detail: JSON.parse(row.detail) as Detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Registers a program and issues its channel id and secret (PROTOCOL.md §7). The secret is
 * returned once, here, and stored only sealed under the master key. Input is validated by the
 * caller (route schema / CLI).
 */
export async function createProgram(
  ctx: Pick<PlatformContext, 'db' | 'secrets' | 'now'>,
  input: NewProgram,
): Promise<{ program: Program; channelSecret: string }> {
  const now = ctx.now().toISOString();
  const channelSecret = newChannelSecret();
  const organizationId =
    input.organizationId ??
    (input.operatorId ? await defaultOrganizationFor(ctx.db, input.operatorId, 'program.create') : null) ??
    null;
  for (let attempt = 0; ; attempt++) {
    const channelId = newChannelId();
    // Channel ids are shared with group participants (PROTOCOL.md §8): one that is a participant's
    // is drawn again, like a collision with another program.
    const participant = await ctx.db
      .selectFrom('program_participants')
      .select('id')
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    if (participant) continue;
    try {
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('programs')
          .values({
            channel_id: channelId,
            operator_id: input.operatorId ?? null,
            organization_id: organizationId,
            name: input.name,
            code_type: input.codeType,
            binding_url: input.bindingUrl,
            webhook_url: input.webhookUrl ?? null,
            status: input.status ?? 'DRAFT',
            colors: JSON.stringify(input.colors ?? DEFAULT_COLORS),
            detail: JSON.stringify(input.detail ?? EMPTY_DETAIL),
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
        for (const userId of new Set(input.testers ?? [])) {
          await trx
            .insertInto('program_testers')
            .values({ channel_id: channelId, user_id: userId, created_at: now })
            .execute();
        }
      });
      return { program: await requireProgram(ctx.db, channelId), channelSecret };
    } catch (err) {
      // A channel id collision (1 in 9·10^9 per existing program): draw another.
      if (attempt < 5 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/**
 * The program a stored row points to (bindings.channel_id is a foreign key, programs are never
 * deleted): a miss is a broken invariant, so it throws a plain error (9000 / 500).
 */
export async function requireProgram(db: Kysely<Database>, channelId: string): Promise<Program> {
  const program = await getProgram(db, channelId);
  if (!program) throw new Error(`program ${channelId} vanished`);
  return program;
}

export async function getProgram(db: Kysely<Database>, channelId: string): Promise<Program | undefined> {
  const [row] = (await db.executeQuery(programRow(db, [channelId]))).rows;
  return row ? toProgram(row) : undefined;
}

/** The program's row (every request of the binding flow reads it: built once). */
export const programRow = compiledOnce<ProgramTable, [string]>((db) =>
  db.selectFrom('programs').selectAll().where('channel_id', '=', slot<string>(0)),
);

/**
 * The channel's secrets that verify signatures now: the current one and, during a rotation
 * overlap, the previous one. Newest first.
 */
export async function activeChannelSecrets(
  ctx: Pick<PlatformContext, 'db' | 'secrets' | 'now'>,
  channelId: string,
): Promise<string[]> {
  const now = ctx.now().toISOString();
  const rows = await ctx.db
    .selectFrom('program_secrets')
    .select(['secret_enc', 'expires_at'])
    .where('channel_id', '=', channelId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ctx.secrets.open(r.secret_enc, channelId));
}

/**
 * Whether the wallet user may bind a card of this program: LIVE, or DRAFT / IN_REVIEW (the
 * sandbox, while not yet approved) for its testers. Never SUSPENDED.
 */
export async function isProgramAvailableTo(
  db: Kysely<Database>,
  program: Program,
  userId: string,
): Promise<boolean> {
  if (program.status === 'LIVE') return true;
  if (program.status !== 'DRAFT' && program.status !== 'IN_REVIEW') return false;
  const tester = await db
    .selectFrom('program_testers')
    .select('user_id')
    .where('channel_id', '=', program.channelId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return tester !== undefined;
}

/** Fills the optional template fields of a detail input, so stored details are always complete. */
export function normalizeDetail(input: DetailInput): Detail {
  if (input.kind === 'custom') return { kind: 'custom', url: input.url };
  return {
    kind: 'template',
    description: input.description ?? '',
    benefits: input.benefits ?? '',
    terms: input.terms ?? '',
    contact: input.contact ?? '',
    links: (input.links ?? []).map((l) => ({ label: l.label, url: l.url })),
  };
}

export interface ProgramChanges {
  name?: string;
  codeType?: CodeType;
  bindingUrl?: string;
  webhookUrl?: string | null;
  colors?: Colors;
  detail?: Detail;
}

/**
 * Updates the registration of a program. The code type may change only while the program is a
 * DRAFT: once LIVE, members hold codes of that type (3004 otherwise, docs/console-api.md).
 */
export async function updateProgram(
  ctx: Pick<PlatformContext, 'db' | 'now'>,
  channelId: string,
  changes: ProgramChanges,
  actor?: Actor,
): Promise<Program> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('programs')
      .select(['status', 'code_type', 'webhook_url'])
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    if (!current) throw fail('4004', 'program_not_found');
    if (
      changes.codeType !== undefined &&
      changes.codeType !== current.code_type &&
      current.status !== 'DRAFT'
    ) {
      throw fail('3004', 'code_type_locked');
    }
    await trx
      .updateTable('programs')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.codeType !== undefined ? { code_type: changes.codeType } : {}),
        ...(changes.bindingUrl !== undefined ? { binding_url: changes.bindingUrl } : {}),
        ...(changes.webhookUrl !== undefined ? { webhook_url: changes.webhookUrl } : {}),
        ...(changes.colors !== undefined ? { colors: JSON.stringify(changes.colors) } : {}),
        ...(changes.detail !== undefined ? { detail: JSON.stringify(changes.detail) } : {}),
        updated_at: ctx.now().toISOString(),
      })
      .where('channel_id', '=', channelId)
      .execute();
    // A changed webhook URL is audited (PROTOCOL.md §7): where the program's events go.
    if (actor && changes.webhookUrl !== undefined && changes.webhookUrl !== current.webhook_url) {
      await appendAudit(trx, ctx.now(), {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'program.webhook_changed',
        targetType: 'program',
        targetId: channelId,
        details: { from: current.webhook_url, to: changes.webhookUrl },
        sourceAddress: actor.sourceAddress,
      });
    }
    const row = await trx
      .selectFrom('programs')
      .selectAll()
      .where('channel_id', '=', channelId)
      .executeTakeFirstOrThrow();
    return toProgram(row);
  });
}

function emptyCounts(): BindingCounts {
  return { RESERVED: 0, APPLIED: 0, ACTIVE: 0, CANCELLED: 0, EXPIRED: 0, UNBOUND: 0 };
}

/**
 * The programs of every organization the operator belongs to, newest first, each with its binding
 * counts by state, whether it has a logo and the operator's role in its organization.
 */
export async function listOperatorPrograms(
  db: Kysely<Database>,
  operatorId: string,
): Promise<(Program & { bindings: BindingCounts; hasLogo: boolean; role: OrganizationRole })[]> {
  const rows = await db
    .selectFrom('programs')
    .innerJoin('organization_members', 'organization_members.organization_id', 'programs.organization_id')
    .leftJoin('program_logos', 'program_logos.channel_id', 'programs.channel_id')
    .selectAll('programs')
    .select(['program_logos.updated_at as logo_updated_at', 'organization_members.role as member_role'])
    .where('organization_members.operator_id', '=', operatorId)
    .orderBy('programs.created_at', 'desc')
    .orderBy('programs.channel_id')
    .execute();
  if (rows.length === 0) return [];
  const counts = await db
    .selectFrom('bindings')
    .select(['channel_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'channel_id',
      'in',
      rows.map((r) => r.channel_id),
    )
    .groupBy(['channel_id', 'state'])
    .execute();
  const byChannel = new Map<string, BindingCounts>();
  for (const c of counts) {
    const entry = byChannel.get(c.channel_id) ?? emptyCounts();
    entry[c.state] = Number(c.n);
    byChannel.set(c.channel_id, entry);
  }
  return rows.map(({ logo_updated_at, member_role, ...row }) => ({
    ...toProgram(row),
    bindings: byChannel.get(row.channel_id) ?? emptyCounts(),
    hasLogo: logo_updated_at !== null,
    role: member_role,
  }));
}

/** Binding counts of the whole platform by state: the `mycard_bindings` gauge, read at scrape time. */
export async function countBindingsByState(db: Kysely<Database>): Promise<BindingCounts> {
  const rows = await db
    .selectFrom('bindings')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const out = emptyCounts();
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}
