import type { OrganizationRole } from '@mycard/wire';
import type { Transaction } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { fail } from '../http/errors.js';
import type { Database } from '../store/schema.js';

type Ctx = Pick<PlatformContext, 'db' | 'now' | 'dialect'>;

/**
 * Takes the organization's row lock for the rest of the transaction (PostgreSQL `FOR UPDATE`;
 * SQLite runs one write transaction at a time anyway), so member changes of one organization run one
 * after the other: two owners demoting each other at the same moment cannot leave it with none.
 */
export async function lockOrganization(ctx: Ctx, trx: Transaction<Database>, organizationId: string) {
  let q = trx.selectFrom('organizations').select('id').where('id', '=', organizationId);
  if (ctx.dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw fail('4004', 'organization_not_found');
}

async function memberRow(trx: Transaction<Database>, organizationId: string, operatorId: string) {
  const row = await trx
    .selectFrom('organization_members')
    .select('role')
    .where('organization_id', '=', organizationId)
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
  if (!row) throw fail('4004', 'member_not_found');
  return row;
}

async function ownerCount(trx: Transaction<Database>, organizationId: string): Promise<number> {
  const row = await trx
    .selectFrom('organization_members')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * An owner changes a member's role (PROTOCOL.md §7). The last owner cannot be demoted (3004
 * `last_owner`): an organization always has someone who can manage it. Setting the role a member has
 * already changes nothing and writes no audit entry.
 */
export async function changeMemberRole(
  ctx: Ctx,
  actor: Actor,
  organizationId: string,
  operatorId: string,
  role: OrganizationRole,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await lockOrganization(ctx, trx, organizationId);
    const current = await memberRow(trx, organizationId, operatorId);
    if (current.role === role) return;
    if (current.role === 'owner' && (await ownerCount(trx, organizationId)) <= 1)
      throw fail('3004', 'last_owner');
    await trx
      .updateTable('organization_members')
      .set({ role })
      .where('organization_id', '=', organizationId)
      .where('operator_id', '=', operatorId)
      .execute();
    await appendAudit(trx, now, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'member.role_changed',
      targetType: 'organization',
      targetId: organizationId,
      details: { operatorId, from: current.role, to: role },
      sourceAddress: actor.sourceAddress,
    });
  });
}

/**
 * Removes a member: an owner removing anyone, or a member leaving (`actor.id === operatorId`). The
 * last owner can neither leave nor be removed (3004 `last_owner`).
 */
export async function removeMember(
  ctx: Ctx,
  actor: Actor,
  organizationId: string,
  operatorId: string,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await lockOrganization(ctx, trx, organizationId);
    const current = await memberRow(trx, organizationId, operatorId);
    if (current.role === 'owner' && (await ownerCount(trx, organizationId)) <= 1)
      throw fail('3004', 'last_owner');
    await trx
      .deleteFrom('organization_members')
      .where('organization_id', '=', organizationId)
      .where('operator_id', '=', operatorId)
      .execute();
    const leaving = actor.id === operatorId;
    await appendAudit(trx, now, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: leaving ? 'member.left' : 'member.removed',
      targetType: 'organization',
      targetId: organizationId,
      details: { operatorId, role: current.role },
      sourceAddress: actor.sourceAddress,
    });
  });
}

/** Renames the organization, with its audit entry (no entry when the name is the same). */
export async function renameOrganizationAudited(
  ctx: Ctx,
  actor: Actor,
  organizationId: string,
  name: string,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', organizationId)
      .executeTakeFirst();
    if (!row) throw fail('4004', 'organization_not_found');
    if (row.name === name) return;
    await trx.updateTable('organizations').set({ name }).where('id', '=', organizationId).execute();
    await appendAudit(trx, now, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'organization.renamed',
      targetType: 'organization',
      targetId: organizationId,
      details: { from: row.name, to: name },
      sourceAddress: actor.sourceAddress,
    });
  });
}
