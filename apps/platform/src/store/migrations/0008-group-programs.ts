import type { Kysely } from 'kysely';

/**
 * Group programs (PROTOCOL.md §8, issue 12). No existing table changes shape:
 * - `group_programs`: a row per program made a group program (one-way: its cards advertise the
 *   participants, so it is never "un-grouped").
 * - `program_participants`: the group's brands or stores. Each has its own channel id (unique here;
 *   creation also checks it is no program's) and its secrets live in `program_secrets` under that
 *   channel id, so reveal, rotation with overlap and signature checks are the program's own code.
 *   The optional logo is stored on the row (checked by content like a program logo), apart from
 *   `program_logos` so look-alike checks and reviews of programs never see it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('group_programs')
    .addColumn('channel_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('program_participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().unique())
    .addColumn('program_channel_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('logo_content_type', 'text')
    .addColumn('logo_base64', 'text')
    .addColumn('logo_updated_at', 'text')
    // Bumped by a rotation of its secrets, like programs.secrets_version (the signature key cache).
    .addColumn('secrets_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('program_participants_program')
    .on('program_participants')
    .columns(['program_channel_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('program_participants').ifExists().execute();
  await db.schema.dropTable('group_programs').ifExists().execute();
}
