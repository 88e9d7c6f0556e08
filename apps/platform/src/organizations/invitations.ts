import type { Invitation, InvitationPreview, OrganizationRole } from '@mycard/wire';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { hashToken, randomToken } from '../crypto/tokens.js';
import { fail } from '../http/errors.js';
import { normalizeEmail, type Operator } from '../operators/operator-repository.js';
import { isUniqueViolation } from '../store/dialect.js';
import { lockOrganization } from './members.js';

type Ctx = Pick<PlatformContext, 'db' | 'now' | 'dialect'>;

/** How long an invitation link stays valid (PROTOCOL.md §7: 7 days). */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Invitations (PROTOCOL.md §7): an owner invites an e-mail address with a role; the platform makes a
 * single-use link valid 7 days whose token it stores only as a hash. The link is bound to the
 * e-mail: only the console operator signed in with that address can accept it (a forwarded or
 * leaked link is no use to anyone else). Revoking ends it at once.
 */
export async function createInvitation(
  ctx: Ctx,
  actor: Actor,
  organizationId: string,
  input: { email: string; role: OrganizationRole },
): Promise<{ invitation: Invitation; token: string }> {
  const email = normalizeEmail(input.email);
  const now = ctx.now();
  const token = randomToken(32);
  const id = `inv_${randomToken(12)}`;
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
  const inviter = actor.id ?? '';
  await ctx.db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom('organization_members')
      .innerJoin('operators', 'operators.id', 'organization_members.operator_id')
      .select('operators.id')
      .where('organization_members.organization_id', '=', organizationId)
      .where('operators.email', '=', email)
      .executeTakeFirst();
    if (member) throw fail('3004', 'already_member');
    await trx
      .insertInto('organization_invitations')
      .values({
        id,
        organization_id: organizationId,
        email,
        role: input.role,
        token_hash: hashToken(token),
        invited_by: inviter,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        accepted_by: null,
        accepted_at: null,
        revoked_at: null,
      })
      .execute();
    await appendAudit(trx, now, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'member.invited',
      targetType: 'organization',
      targetId: organizationId,
      details: { invitationId: id, email, role: input.role },
      sourceAddress: actor.sourceAddress,
    });
  });
  const invitation = (await listPendingInvitations(ctx, organizationId)).find((i) => i.invitationId === id);
  if (!invitation) throw fail('9000', 'database_unavailable');
  return { invitation, token };
}

/** The organization's pending invitations (not accepted, revoked or expired), newest first. */
export async function listPendingInvitations(ctx: Ctx, organizationId: string): Promise<Invitation[]> {
  const rows = await ctx.db
    .selectFrom('organization_invitations')
    .innerJoin('operators', 'operators.id', 'organization_invitations.invited_by')
    .select([
      'organization_invitations.id',
      'organization_invitations.email',
      'organization_invitations.role',
      'organization_invitations.created_at',
      'organization_invitations.expires_at',
      'operators.id as inviter_id',
      'operators.display_name as inviter_name',
    ])
    .where('organization_invitations.organization_id', '=', organizationId)
    .where('organization_invitations.accepted_at', 'is', null)
    .where('organization_invitations.revoked_at', 'is', null)
    .where('organization_invitations.expires_at', '>', ctx.now().toISOString())
    .orderBy('organization_invitations.created_at', 'desc')
    .orderBy('organization_invitations.id', 'desc')
    .execute();
  return rows.map((r) => ({
    invitationId: r.id,
    email: r.email,
    role: r.role,
    invitedBy: { operatorId: r.inviter_id, displayName: r.inviter_name },
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}

/** Revokes a pending invitation: 4004 when it is unknown, not this organization's, or no longer pending. */
export async function revokeInvitation(
  ctx: Ctx,
  actor: Actor,
  organizationId: string,
  invitationId: string,
): Promise<void> {
  const now = ctx.now();
  const nowIso = now.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('organization_invitations')
      .select(['email', 'role'])
      .where('id', '=', invitationId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    const revoked = await trx
      .updateTable('organization_invitations')
      .set({ revoked_at: nowIso })
      .where('id', '=', invitationId)
      .where('organization_id', '=', organizationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .executeTakeFirst();
    if (!row || Number(revoked.numUpdatedRows) !== 1) throw fail('4004', 'invitation_not_found');
    await appendAudit(trx, now, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'member.invitation_revoked',
      targetType: 'organization',
      targetId: organizationId,
      details: { invitationId, email: row.email, role: row.role },
      sourceAddress: actor.sourceAddress,
    });
  });
}

interface PendingInvitation {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  role: OrganizationRole;
  invitedBy: string;
  expiresAt: string;
}

/**
 * The pending invitation of a link's token, for `operator`: 4004 when the token is unknown, used,
 * revoked or expired (one answer for all: a link either works or it does not), 4003 when it was
 * made for another e-mail address.
 */
async function pendingInvitationFor(ctx: Ctx, token: string, operator: Operator): Promise<PendingInvitation> {
  const row = await ctx.db
    .selectFrom('organization_invitations')
    .innerJoin('organizations', 'organizations.id', 'organization_invitations.organization_id')
    .innerJoin('operators', 'operators.id', 'organization_invitations.invited_by')
    .select([
      'organization_invitations.id',
      'organization_invitations.organization_id',
      'organization_invitations.email',
      'organization_invitations.role',
      'organization_invitations.expires_at',
      'organization_invitations.accepted_at',
      'organization_invitations.revoked_at',
      'organizations.name as organization_name',
      'operators.display_name as inviter_name',
    ])
    .where('organization_invitations.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) throw fail('4004', 'invitation_not_found');
  if (row.accepted_at !== null || row.revoked_at !== null || row.expires_at <= ctx.now().toISOString())
    throw fail('4004', 'invitation_not_found');
  if (row.email !== normalizeEmail(operator.email)) throw fail('4003', 'invitation_other_email');
  return {
    id: row.id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    email: row.email,
    role: row.role,
    invitedBy: row.inviter_name,
    expiresAt: row.expires_at,
  };
}

/** What the invitee is invited to (the accept page shows it before "Accept"). Changes nothing. */
export async function previewInvitation(
  ctx: Ctx,
  token: string,
  operator: Operator,
): Promise<InvitationPreview> {
  const inv = await pendingInvitationFor(ctx, token, operator);
  return {
    organizationName: inv.organizationName,
    email: inv.email,
    role: inv.role,
    invitedBy: inv.invitedBy,
    expiresAt: inv.expiresAt,
  };
}

/**
 * Accepts an invitation: the operator joins with the invitation's role, and the link is used up.
 * Marking it used checks "still pending" in the same statement, so of two simultaneous accepts one
 * wins; an operator who is a member already gets 3004 and the invitation stays pending.
 */
export async function acceptInvitation(
  ctx: Ctx,
  operator: Operator,
  sourceAddress: string | null,
  token: string,
): Promise<{ organizationId: string; role: OrganizationRole }> {
  const inv = await pendingInvitationFor(ctx, token, operator);
  const now = ctx.now();
  const nowIso = now.toISOString();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await lockOrganization(ctx, trx, inv.organizationId);
      const existing = await trx
        .selectFrom('organization_members')
        .select('role')
        .where('organization_id', '=', inv.organizationId)
        .where('operator_id', '=', operator.id)
        .executeTakeFirst();
      if (existing) throw fail('3004', 'already_member');
      const used = await trx
        .updateTable('organization_invitations')
        .set({ accepted_at: nowIso, accepted_by: operator.id })
        .where('id', '=', inv.id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', nowIso)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw fail('4004', 'invitation_not_found');
      await trx
        .insertInto('organization_members')
        .values({
          organization_id: inv.organizationId,
          operator_id: operator.id,
          role: inv.role,
          created_at: nowIso,
        })
        .execute();
      await appendAudit(trx, now, {
        actorKind: 'operator',
        actorId: operator.id,
        action: 'member.joined',
        targetType: 'organization',
        targetId: inv.organizationId,
        details: { invitationId: inv.id, operatorId: operator.id, email: inv.email, role: inv.role },
        sourceAddress,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw fail('3004', 'already_member');
    throw err;
  }
  return { organizationId: inv.organizationId, role: inv.role };
}

/**
 * Whether a closed sign-up may open for this e-mail (PROTOCOL.md §7: "lets one sign up then join"):
 * true when `token` is a pending invitation made for exactly this address. Changes nothing; the new
 * operator then accepts the invitation like anyone else.
 */
export async function invitationOpensSignup(ctx: Ctx, token: string, email: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('organization_invitations')
    .select(['email', 'expires_at', 'accepted_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return (
    row !== undefined &&
    row.accepted_at === null &&
    row.revoked_at === null &&
    row.expires_at > ctx.now().toISOString() &&
    row.email === normalizeEmail(email)
  );
}
