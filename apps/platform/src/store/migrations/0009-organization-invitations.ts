import { type Kysely, sql } from 'kysely';

/**
 * Invitations to an organization (PROTOCOL.md §7, issue 12): a single-use link valid 7 days, bound
 * to one e-mail and one role. The link's token is never stored, only its SHA-256 (`token_hash`,
 * unique); an invitation is PENDING until `accepted_at` or `revoked_at` is set or `expires_at` has
 * passed. Accepting sets `accepted_at` in the same statement that checks all three, so a link is
 * used at most once even when two people open it at the same moment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('owner', 'admin', 'developer', 'viewer')`),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.notNull().references('operators.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_by', 'text', (c) => c.references('operators.id'))
    .addColumn('accepted_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('organization_invitations_organization')
    .on('organization_invitations')
    .columns(['organization_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organization_invitations').ifExists().execute();
}
