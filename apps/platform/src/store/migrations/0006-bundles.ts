import type { Kysely } from 'kysely';

/**
 * Campaign bundles (PROTOCOL.md §9, issue 13). New tables only, so it lands beside any other
 * migration of the same wave.
 * - `bundles`: the campaign (name, description, dates), made by a platform administrator.
 * - `bundle_banners`: its banner image (the logo rules, ≤ 1 MiB), apart so lists never read it.
 * - `bundle_programs`: a program invited to a bundle (INVITED → JOINED when its organization accepts,
 *   → LEFT when it leaves or declines, or when an administrator takes it out).
 * - `bundle_views`: per bundle and wallet user, how often the page was opened (views, viewers).
 * - `bundle_bindings`: the reservations made from a bundle (`POST /v1/bindings` with `bundleId`);
 *   joined to `bindings`, they give the cards added.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bundles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bundle_banners')
    .addColumn('bundle_id', 'text', (c) => c.primaryKey())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data_base64', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bundle_programs')
    .addColumn('bundle_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addPrimaryKeyConstraint('bundle_programs_pk', ['bundle_id', 'channel_id'])
    .execute();
  await db.schema
    .createIndex('bundle_programs_channel')
    .on('bundle_programs')
    .columns(['channel_id', 'state'])
    .execute();
  await db.schema
    .createTable('bundle_views')
    .addColumn('bundle_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bundle_views_pk', ['bundle_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('bundle_bindings')
    .addColumn('binding_id', 'text', (c) => c.primaryKey())
    .addColumn('bundle_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('bundle_bindings_bundle')
    .on('bundle_bindings')
    .columns(['bundle_id', 'channel_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['bundle_bindings', 'bundle_views', 'bundle_programs', 'bundle_banners', 'bundles']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
