import type { Kysely } from 'kysely';

/**
 * `programs.secrets_version` (issue 10): bumped in the transaction that rotates a channel's secrets.
 * Every instance keeps a channel's secrets decrypted, as HMAC keys, under the version it read them
 * at; the merchant call reads the program row anyway, so a rotation on any instance is seen by every
 * other one on its next call, without an extra round trip.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('programs')
    .addColumn('secrets_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
