import type {
  BundleFigures,
  BundleInvitation,
  BundleMember,
  BundleMemberState,
  ConsoleBundle,
  NewBundleBody,
  WalletBundle,
} from '@mycard/wire';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { randomToken } from '../crypto/tokens.js';
import { fail } from '../http/errors.js';
import { roleHas } from '../organizations/organization-rights.js';
import { logoPath } from '../programs/program-logo.js';
import type { BundleTable, Database, ProgramStatus } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** `bd_` + 96 random bits (16 base64url characters). */
export function newBundleId(): string {
  return `bd_${randomToken(12)}`;
}

/** Public path of a bundle's banner (routes/public/bundle-banner.ts). */
export function bannerPath(bundleId: string): string {
  return `/v1/bundles/${bundleId}/banner`;
}

/** The wallet page of a bundle: the link an administrator shares (PROTOCOL.md §9). */
export function bundleWalletUrl(publicUrl: string, bundleId: string): string {
  return `${publicUrl}/wallet/bundles/${bundleId}`;
}

/** Statuses in which a program is still being tried (its testers may bind): "DRAFT" in §9. */
const TRYING: ProgramStatus[] = ['DRAFT', 'IN_REVIEW'];

function checkDates(startsAt: string, endsAt: string): void {
  if (!(Date.parse(endsAt) > Date.parse(startsAt))) throw fail('2101', 'bundle_dates');
}

/** Every channel id exists (4004 otherwise). */
async function requirePrograms(db: Db, channelIds: string[]): Promise<void> {
  const found = await db
    .selectFrom('programs')
    .select('channel_id')
    .where('channel_id', 'in', channelIds)
    .execute();
  if (found.length !== new Set(channelIds).size) throw fail('4004', 'program_not_found');
}

async function audit(db: Db, at: Date, actor: Actor, action: string, bundleId: string, details = {}) {
  await appendAudit(db, at, {
    actorKind: actor.kind,
    actorId: actor.id,
    action,
    targetType: 'bundle',
    targetId: bundleId,
    details,
    sourceAddress: actor.sourceAddress,
  });
}

/** A platform administrator creates a bundle and invites its programs (PROTOCOL.md §9). */
export async function createBundle(
  ctx: PlatformContext,
  actor: Actor,
  input: NewBundleBody,
): Promise<string> {
  checkDates(input.startsAt, input.endsAt);
  const id = newBundleId();
  const now = ctx.now();
  const at = now.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await requirePrograms(trx, input.channelIds);
    await trx
      .insertInto('bundles')
      .values({
        id,
        name: input.name,
        description: input.description ?? '',
        starts_at: new Date(input.startsAt).toISOString(),
        ends_at: new Date(input.endsAt).toISOString(),
        created_by: actor.id,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('bundle_programs')
      .values(
        input.channelIds.map((channelId, position) => ({
          bundle_id: id,
          channel_id: channelId,
          position,
          state: 'INVITED' as const,
          invited_at: at,
          decided_at: null,
          decided_by: null,
        })),
      )
      .execute();
    await audit(trx, now, actor, 'bundle.created', id, { channelIds: input.channelIds });
  });
  return id;
}

async function requireBundle(db: Db, bundleId: string): Promise<BundleTable> {
  const row = await db.selectFrom('bundles').selectAll().where('id', '=', bundleId).executeTakeFirst();
  if (!row) throw fail('4004', 'bundle_not_found');
  return row;
}

/** Name, description or dates of a bundle change (only the fields given). */
export async function updateBundle(
  ctx: PlatformContext,
  actor: Actor,
  bundleId: string,
  changes: { name?: string; description?: string; startsAt?: string; endsAt?: string },
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const bundle = await requireBundle(trx, bundleId);
    const startsAt = changes.startsAt ? new Date(changes.startsAt).toISOString() : bundle.starts_at;
    const endsAt = changes.endsAt ? new Date(changes.endsAt).toISOString() : bundle.ends_at;
    checkDates(startsAt, endsAt);
    await trx
      .updateTable('bundles')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        starts_at: startsAt,
        ends_at: endsAt,
        updated_at: now.toISOString(),
      })
      .where('id', '=', bundleId)
      .execute();
    await audit(trx, now, actor, 'bundle.updated', bundleId, { fields: Object.keys(changes).sort() });
  });
}

/**
 * The administrator sets the bundle's programs (2–20, in order): a new one is invited, one no longer
 * listed is taken out (LEFT), one that had left is invited again; a JOINED or INVITED one stays as it
 * is. The order is the order the wallet walks.
 */
export async function setBundlePrograms(
  ctx: PlatformContext,
  actor: Actor,
  bundleId: string,
  channelIds: string[],
): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await requireBundle(trx, bundleId);
    await requirePrograms(trx, channelIds);
    const current = await trx
      .selectFrom('bundle_programs')
      .selectAll()
      .where('bundle_id', '=', bundleId)
      .execute();
    const byId = new Map(current.map((m) => [m.channel_id, m]));
    for (const [position, channelId] of channelIds.entries()) {
      const member = byId.get(channelId);
      if (!member) {
        await trx
          .insertInto('bundle_programs')
          .values({
            bundle_id: bundleId,
            channel_id: channelId,
            position,
            state: 'INVITED',
            invited_at: at,
            decided_at: null,
            decided_by: null,
          })
          .execute();
        continue;
      }
      const again = member.state === 'LEFT';
      await trx
        .updateTable('bundle_programs')
        .set({
          position,
          ...(again ? { state: 'INVITED', invited_at: at, decided_at: null, decided_by: null } : {}),
        })
        .where('bundle_id', '=', bundleId)
        .where('channel_id', '=', channelId)
        .execute();
    }
    const removed = current.filter((m) => !channelIds.includes(m.channel_id) && m.state !== 'LEFT');
    for (const m of removed) {
      await trx
        .updateTable('bundle_programs')
        .set({ state: 'LEFT', decided_at: at, decided_by: actor.id })
        .where('bundle_id', '=', bundleId)
        .where('channel_id', '=', m.channel_id)
        .execute();
    }
    await trx.updateTable('bundles').set({ updated_at: at }).where('id', '=', bundleId).execute();
    await audit(trx, now, actor, 'bundle.programs_set', bundleId, {
      channelIds,
      removed: removed.map((m) => m.channel_id),
    });
  });
}

/** Stores (or replaces) a bundle's banner; the caller checked type and size. */
export async function saveBundleBanner(
  ctx: PlatformContext,
  actor: Actor,
  bundleId: string,
  contentType: string,
  data: Buffer,
): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await requireBundle(trx, bundleId);
    const row = { content_type: contentType, data_base64: data.toString('base64'), updated_at: at };
    await trx
      .insertInto('bundle_banners')
      .values({ bundle_id: bundleId, ...row })
      .onConflict((oc) => oc.column('bundle_id').doUpdateSet(row))
      .execute();
    await trx.updateTable('bundles').set({ updated_at: at }).where('id', '=', bundleId).execute();
    await audit(trx, now, actor, 'bundle.banner_set', bundleId, { contentType, bytes: data.length });
  });
}

export async function getBundleBanner(db: Db, bundleId: string) {
  return db.selectFrom('bundle_banners').selectAll().where('bundle_id', '=', bundleId).executeTakeFirst();
}

async function membersOf(db: Db, bundleIds: string[]) {
  if (bundleIds.length === 0) return [];
  return db
    .selectFrom('bundle_programs')
    .innerJoin('programs', 'programs.channel_id', 'bundle_programs.channel_id')
    .leftJoin('program_logos', 'program_logos.channel_id', 'programs.channel_id')
    .select([
      'bundle_programs.bundle_id',
      'bundle_programs.channel_id',
      'bundle_programs.state',
      'bundle_programs.position',
      'bundle_programs.invited_at',
      'bundle_programs.decided_at',
      'programs.name',
      'programs.status',
      'programs.organization_id',
      'program_logos.updated_at as logo_at',
    ])
    .where('bundle_programs.bundle_id', 'in', bundleIds)
    .orderBy('bundle_programs.position')
    .execute();
}

async function bannerIds(db: Db, bundleIds: string[]): Promise<Set<string>> {
  if (bundleIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('bundle_banners')
    .select('bundle_id')
    .where('bundle_id', 'in', bundleIds)
    .execute();
  return new Set(rows.map((r) => r.bundle_id));
}

/** Bundles as the administrators' console shows them, newest first (or one, by id). */
export async function listConsoleBundles(ctx: PlatformContext, bundleId?: string): Promise<ConsoleBundle[]> {
  let q = ctx.db.selectFrom('bundles').selectAll();
  if (bundleId) q = q.where('id', '=', bundleId);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
  const ids = rows.map((r) => r.id);
  const members = await membersOf(ctx.db, ids);
  const banners = await bannerIds(ctx.db, ids);
  return rows.map((b) => ({
    bundleId: b.id,
    name: b.name,
    description: b.description,
    bannerUrl: banners.has(b.id) ? bannerPath(b.id) : null,
    startsAt: b.starts_at,
    endsAt: b.ends_at,
    walletUrl: bundleWalletUrl(ctx.config.publicUrl, b.id),
    programs: members
      .filter((m) => m.bundle_id === b.id)
      .map(
        (m): BundleMember => ({
          channelId: m.channel_id,
          name: m.name,
          status: m.status,
          logoUrl: m.logo_at ? logoPath(m.channel_id) : null,
          state: m.state,
          invitedAt: m.invited_at,
          decidedAt: m.decided_at,
        }),
      ),
    createdAt: b.created_at,
    updatedAt: b.updated_at,
  }));
}

export async function getConsoleBundle(ctx: PlatformContext, bundleId: string): Promise<ConsoleBundle> {
  const [bundle] = await listConsoleBundles(ctx, bundleId);
  if (!bundle) throw fail('4004', 'bundle_not_found');
  return bundle;
}

/**
 * The bundle invitations and memberships of the programs of the operator's organizations (any
 * member reads them; owners and admins decide), newest first.
 */
export async function listInvitations(ctx: PlatformContext, operatorId: string): Promise<BundleInvitation[]> {
  const rows = await ctx.db
    .selectFrom('bundle_programs')
    .innerJoin('bundles', 'bundles.id', 'bundle_programs.bundle_id')
    .innerJoin('programs', 'programs.channel_id', 'bundle_programs.channel_id')
    .innerJoin('organization_members', 'organization_members.organization_id', 'programs.organization_id')
    .select([
      'bundles.id',
      'bundles.name',
      'bundles.description',
      'bundles.starts_at',
      'bundles.ends_at',
      'bundle_programs.channel_id',
      'bundle_programs.state',
      'bundle_programs.invited_at',
      'bundle_programs.decided_at',
      'programs.name as program_name',
      'organization_members.role',
    ])
    .where('organization_members.operator_id', '=', operatorId)
    .orderBy('bundle_programs.invited_at', 'desc')
    .orderBy('bundles.id')
    .orderBy('bundle_programs.channel_id')
    .limit(500)
    .execute();
  const banners = await bannerIds(ctx.db, [...new Set(rows.map((r) => r.id))]);
  return rows.map((r) => ({
    bundleId: r.id,
    name: r.name,
    description: r.description,
    bannerUrl: banners.has(r.id) ? bannerPath(r.id) : null,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    channelId: r.channel_id,
    programName: r.program_name,
    state: r.state,
    invitedAt: r.invited_at,
    decidedAt: r.decided_at,
    canDecide: roleHas(r.role, 'bundle.manage'),
  }));
}

/**
 * A program's organization accepts the invitation (INVITED → JOINED) or leaves (INVITED or JOINED →
 * LEFT; leaving an invitation declines it). Repeating the same decision changes nothing and
 * succeeds; accepting after leaving is 3004 (the administrators invite again). 4004 when the program
 * was never invited to the bundle. The caller checked the operator's right on the program.
 */
export async function decideMembership(
  ctx: PlatformContext,
  actor: Actor,
  bundleId: string,
  channelId: string,
  decision: 'accept' | 'leave',
): Promise<BundleMemberState> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom('bundle_programs')
      .select('state')
      .where('bundle_id', '=', bundleId)
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    if (!member) throw fail('4004', 'bundle_not_found');
    const target: BundleMemberState = decision === 'accept' ? 'JOINED' : 'LEFT';
    if (member.state === target) return target;
    if (decision === 'accept' && member.state !== 'INVITED') throw fail('3004', 'bundle_member_state');
    const changed = await trx
      .updateTable('bundle_programs')
      .set({ state: target, decided_at: now.toISOString(), decided_by: actor.id })
      .where('bundle_id', '=', bundleId)
      .where('channel_id', '=', channelId)
      .where('state', '=', member.state)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw fail('3004', 'bundle_member_state');
    await audit(trx, now, actor, decision === 'accept' ? 'bundle.joined' : 'bundle.left', bundleId, {
      channelId,
    });
    return target;
  });
}

interface Offer {
  bundle: BundleTable;
  /** The joined programs the user may add, in the bundle's order. */
  programs: { channelId: string; name: string; logoAt: string | null }[];
}

/**
 * What a bundle offers a wallet user (PROTOCOL.md §9), or 4004: the JOINED programs that are LIVE,
 * plus those still being tried (DRAFT, IN_REVIEW) of which the user is a tester. Outside its dates
 * the bundle is 4004 unless it has joined programs being tried and the user is a tester of every
 * one of them (a bundle can be tried before it starts). A bundle that offers the user nothing is
 * 4004 too.
 */
export async function offerOf(ctx: PlatformContext, bundleId: string, userId: string): Promise<Offer> {
  const bundle = await ctx.db.selectFrom('bundles').selectAll().where('id', '=', bundleId).executeTakeFirst();
  if (!bundle) throw fail('4004', 'bundle_not_found');
  const joined = (await membersOf(ctx.db, [bundleId])).filter((m) => m.state === 'JOINED');
  const trying = joined.filter((m) => TRYING.includes(m.status));
  const tested = new Set(
    trying.length
      ? (
          await ctx.db
            .selectFrom('program_testers')
            .select('channel_id')
            .where('user_id', '=', userId)
            .where(
              'channel_id',
              'in',
              trying.map((m) => m.channel_id),
            )
            .execute()
        ).map((r) => r.channel_id)
      : [],
  );
  const now = ctx.now().toISOString();
  const inDates = bundle.starts_at <= now && now < bundle.ends_at;
  const previewer = trying.length > 0 && trying.every((m) => tested.has(m.channel_id));
  if (!inDates && !previewer) throw fail('4004', 'bundle_not_found');
  const programs = joined
    .filter((m) => m.status === 'LIVE' || tested.has(m.channel_id))
    .map((m) => ({ channelId: m.channel_id, name: m.name, logoAt: m.logo_at }));
  if (programs.length === 0) throw fail('4004', 'bundle_not_found');
  return { bundle, programs };
}

/** `GET /v1/bundles/{bundleId}`: the bundle for this user, counted as a view. */
export async function walletBundle(
  ctx: PlatformContext,
  bundleId: string,
  userId: string,
): Promise<WalletBundle> {
  const { bundle, programs } = await offerOf(ctx, bundleId, userId);
  const held = new Set(
    (
      await ctx.db
        .selectFrom('bindings')
        .select('channel_id')
        .where('user_id', '=', userId)
        .where('state', '=', 'ACTIVE')
        .where(
          'channel_id',
          'in',
          programs.map((p) => p.channelId),
        )
        .execute()
    ).map((r) => r.channel_id),
  );
  const at = ctx.now().toISOString();
  await ctx.db
    .insertInto('bundle_views')
    .values({ bundle_id: bundleId, user_id: userId, views: 1, first_at: at, last_at: at })
    .onConflict((oc) =>
      oc.columns(['bundle_id', 'user_id']).doUpdateSet((eb) => ({
        views: eb('bundle_views.views', '+', 1),
        last_at: at,
      })),
    )
    .execute();
  const banner = await getBundleBanner(ctx.db, bundleId);
  return {
    bundle: {
      bundleId: bundle.id,
      name: bundle.name,
      description: bundle.description,
      bannerUrl: banner ? bannerPath(bundle.id) : null,
      startsAt: bundle.starts_at,
      endsAt: bundle.ends_at,
      programs: programs.map((p) => ({
        channelId: p.channelId,
        name: p.name,
        logoUrl: p.logoAt ? logoPath(p.channelId) : null,
        cardHeld: held.has(p.channelId),
      })),
    },
  };
}

/** Binding Reserve named a bundle: it must offer this program to this user (4004 otherwise). */
export async function checkBundleOffers(
  ctx: PlatformContext,
  bundleId: string,
  channelId: string,
  userId: string,
): Promise<void> {
  const { programs } = await offerOf(ctx, bundleId, userId);
  if (!programs.some((p) => p.channelId === channelId)) throw fail('4004', 'bundle_program_not_offered');
}

/** Records a reservation made from a bundle, in the reservation's transaction. */
export async function recordBundleReservation(
  db: Db,
  row: { bindingId: string; bundleId: string; channelId: string; userId: string; at: string },
): Promise<void> {
  await db
    .insertInto('bundle_bindings')
    .values({
      binding_id: row.bindingId,
      bundle_id: row.bundleId,
      channel_id: row.channelId,
      user_id: row.userId,
      created_at: row.at,
    })
    .execute();
}

const ratio = (n: number, d: number) => (d > 0 ? Math.min(1, n / d) : 0);

/**
 * A bundle's figures (PROTOCOL.md §9): views (page opens) and viewers (distinct users), reservations
 * made from the bundle, cards added (those reservations completed), per program and in all, and
 * conversion (viewers who added a card through the bundle / viewers).
 */
export async function bundleFigures(ctx: PlatformContext, bundleId: string): Promise<BundleFigures> {
  const bundle = await getConsoleBundle(ctx, bundleId);
  const views = await ctx.db
    .selectFrom('bundle_views')
    .select((eb) => [eb.fn.countAll<number>().as('viewers'), eb.fn.sum<number>('views').as('views')])
    .where('bundle_id', '=', bundleId)
    .executeTakeFirst();
  const perProgram = await ctx.db
    .selectFrom('bundle_bindings')
    .innerJoin('bindings', 'bindings.id', 'bundle_bindings.binding_id')
    .select((eb) => [
      'bundle_bindings.channel_id',
      eb.fn.countAll<number>().as('reservations'),
      eb.fn.count<number>('bindings.completed_at').as('added'),
    ])
    .where('bundle_bindings.bundle_id', '=', bundleId)
    .groupBy('bundle_bindings.channel_id')
    .execute();
  const converted = await ctx.db
    .selectFrom('bundle_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bundle_views.bundle_id', '=', bundleId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('bundle_bindings')
          .innerJoin('bindings', 'bindings.id', 'bundle_bindings.binding_id')
          .select('bundle_bindings.binding_id')
          .whereRef('bundle_bindings.bundle_id', '=', 'bundle_views.bundle_id')
          .whereRef('bundle_bindings.user_id', '=', 'bundle_views.user_id')
          .where('bindings.completed_at', 'is not', null),
      ),
    )
    .executeTakeFirst();
  const viewers = Number(views?.viewers ?? 0);
  const counts = new Map(perProgram.map((p) => [p.channel_id, p]));
  const programs = bundle.programs.map((m) => {
    const c = counts.get(m.channelId);
    const cardsAdded = Number(c?.added ?? 0);
    return {
      channelId: m.channelId,
      name: m.name,
      state: m.state,
      reservations: Number(c?.reservations ?? 0),
      cardsAdded,
      conversion: ratio(cardsAdded, viewers),
    };
  });
  const convertedViewers = Number(converted?.n ?? 0);
  return {
    bundleId,
    generatedAt: ctx.now().toISOString(),
    views: Number(views?.views ?? 0),
    viewers,
    reservations: programs.reduce((s, p) => s + p.reservations, 0),
    cardsAdded: programs.reduce((s, p) => s + p.cardsAdded, 0),
    convertedViewers,
    conversion: ratio(convertedViewers, viewers),
    programs,
  };
}
