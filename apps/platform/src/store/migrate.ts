import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import { isSqlite } from './dialect.js';
import * as initial from './migrations/0001-initial.js';
import * as manyInstances from './migrations/0002-many-instances.js';
import * as platformAdmin from './migrations/0003-platform-admin.js';
import * as organizations from './migrations/0004-organizations.js';
import * as cardMessages from './migrations/0005-card-messages.js';
import * as bundles from './migrations/0006-bundles.js';
import * as programSecretsVersion from './migrations/0007-program-secrets-version.js';
import * as groupPrograms from './migrations/0008-group-programs.js';
import * as organizationInvitations from './migrations/0009-organization-invitations.js';

/** Every migration of the platform, in order. Static imports: no file-system scanning at run time. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-many-instances': manyInstances,
  '0003-platform-admin': platformAdmin,
  '0004-organizations': organizations,
  '0005-card-messages': cardMessages,
  '0006-bundles': bundles,
  '0007-program-secrets-version': programSecretsVersion,
  '0008-group-programs': groupPrograms,
  '0009-organization-invitations': organizationInvitations,
};

/** Brings the database to the newest schema; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  // On PostgreSQL, name the schema of the migration tables: Kysely otherwise finds them in *any*
  // schema of the database (another tenant's, or a parallel test's) and skips creating its own.
  const schema = isSqlite(db)
    ? undefined
    : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => MIGRATIONS },
    // Migrations written in parallel branches may land out of number order (0004 before 0003);
    // each touches its own tables and columns, so a database migrated in between still catches up.
    allowUnorderedMigrations: true,
    migrationTableName: 'mycard_platform_migrations',
    migrationLockTableName: 'mycard_platform_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
