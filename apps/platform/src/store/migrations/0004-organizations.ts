import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

/**
 * Organizations (PROTOCOL.md §7, issue 12): programs belong to an organization whose members hold a
 * role. Every operator that exists gets an organization of their own, as its owner, holding the
 * programs they registered — so nothing changes for them. `programs.operator_id` stays as who
 * registered the program; what an operator may do follows from `organization_members` only.
 * (Numbered 0004: 0003 is the platform-admin migration of issue 14.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('organization_members')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('owner', 'admin', 'developer', 'viewer')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_members_pk', ['organization_id', 'operator_id'])
    .execute();
  await db.schema
    .createIndex('organization_members_operator')
    .on('organization_members')
    .column('operator_id')
    .execute();
  await db.schema
    .alterTable('programs')
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id'))
    .execute();
  await db.schema.createIndex('programs_organization').on('programs').column('organization_id').execute();

  // Existing operators: one organization each, named after them, owning their programs.
  const operators = await sql<{ id: string; display_name: string; created_at: string }>`
    select id, display_name, created_at from operators order by created_at, id`.execute(db);
  for (const op of operators.rows) {
    const orgId = `org_${randomBytes(12).toString('base64url')}`;
    await sql`insert into organizations (id, name, created_at)
      values (${orgId}, ${op.display_name.slice(0, 64)}, ${op.created_at})`.execute(db);
    await sql`insert into organization_members (organization_id, operator_id, role, created_at)
      values (${orgId}, ${op.id}, 'owner', ${op.created_at})`.execute(db);
    await sql`update programs set organization_id = ${orgId} where operator_id = ${op.id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('programs_organization').ifExists().execute();
  await db.schema.alterTable('programs').dropColumn('organization_id').execute();
  await db.schema.dropTable('organization_members').ifExists().execute();
  await db.schema.dropTable('organizations').ifExists().execute();
}
