import type { Kysely } from 'kysely';

/**
 * A lease on each profile-outbox row: a worker claims the rows it is about to deliver by setting
 * `lease_until` (and `leased_by`, for the operator's eye) in one atomic update, so with several
 * merchant instances on one database each update is sent by one instance at a time. A worker that
 * dies mid-delivery leaves the lease to run out; another instance then takes the row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('profile_outbox').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('profile_outbox').addColumn('leased_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('profile_outbox').dropColumn('leased_by').execute();
  await db.schema.alterTable('profile_outbox').dropColumn('lease_until').execute();
}
