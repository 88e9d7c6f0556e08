import type { Organization, OrganizationMember, OrganizationRole } from '@mycard/wire';
import type { Kysely, Transaction } from 'kysely';
import { randomToken } from '../crypto/tokens.js';
import type { Database } from '../store/schema.js';
import { type OrganizationRight, roleHas } from './organization-rights.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A new organization id: `org_` + 16 base64url characters (96 bits). */
export function newOrganizationId(): string {
  return `org_${randomToken(12)}`;
}

/**
 * Creates an organization with `ownerId` as its first owner. Pass the transaction that creates the
 * owner (sign-up) so an operator never exists without one.
 */
export async function createOrganization(
  db: Db,
  at: Date,
  input: { name: string; ownerId: string },
): Promise<string> {
  const id = newOrganizationId();
  const now = at.toISOString();
  await db
    .insertInto('organizations')
    .values({ id, name: input.name.slice(0, 64), created_at: now })
    .execute();
  await db
    .insertInto('organization_members')
    .values({ organization_id: id, operator_id: input.ownerId, role: 'owner', created_at: now })
    .execute();
  return id;
}

/** The role of an operator in an organization, or undefined when not a member. */
export async function memberRole(
  db: Db,
  organizationId: string,
  operatorId: string,
): Promise<OrganizationRole | undefined> {
  const row = await db
    .selectFrom('organization_members')
    .select('role')
    .where('organization_id', '=', organizationId)
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
  return row?.role;
}

/** The organizations an operator belongs to, oldest first, each with the operator's role. */
export async function listOperatorOrganizations(db: Db, operatorId: string): Promise<Organization[]> {
  const rows = await db
    .selectFrom('organization_members')
    .innerJoin('organizations', 'organizations.id', 'organization_members.organization_id')
    .select([
      'organizations.id',
      'organizations.name',
      'organizations.created_at',
      'organization_members.role',
    ])
    .where('organization_members.operator_id', '=', operatorId)
    .orderBy('organizations.created_at')
    .orderBy('organizations.id')
    .execute();
  return rows.map((r) => ({ organizationId: r.id, name: r.name, role: r.role, createdAt: r.created_at }));
}

/** The oldest organization in which the operator holds `right` (where a new program goes by default). */
export async function defaultOrganizationFor(
  db: Db,
  operatorId: string,
  right: OrganizationRight,
): Promise<string | undefined> {
  const orgs = await listOperatorOrganizations(db, operatorId);
  return orgs.find((o) => roleHas(o.role, right))?.organizationId;
}

/** An organization's members: owners first, then by the time they joined. */
export async function listMembers(db: Db, organizationId: string): Promise<OrganizationMember[]> {
  const rows = await db
    .selectFrom('organization_members')
    .innerJoin('operators', 'operators.id', 'organization_members.operator_id')
    .select([
      'operators.id',
      'operators.email',
      'operators.display_name',
      'organization_members.role',
      'organization_members.created_at',
    ])
    .where('organization_members.organization_id', '=', organizationId)
    .orderBy('organization_members.created_at')
    .orderBy('operators.id')
    .execute();
  const rank = (role: OrganizationRole) => (role === 'owner' ? 0 : 1);
  return rows
    .map((r) => ({
      operatorId: r.id,
      email: r.email,
      displayName: r.display_name,
      role: r.role,
      joinedAt: r.created_at,
    }))
    .sort((a, b) => rank(a.role) - rank(b.role));
}

/** Renames an organization. */
export async function renameOrganization(db: Db, organizationId: string, name: string): Promise<void> {
  await db.updateTable('organizations').set({ name }).where('id', '=', organizationId).execute();
}

/** An organization by id (name and creation time), or undefined. */
export async function getOrganization(
  db: Db,
  organizationId: string,
): Promise<{ id: string; name: string; createdAt: string } | undefined> {
  const row = await db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', organizationId)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, createdAt: row.created_at } : undefined;
}
