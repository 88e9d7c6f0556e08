import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { listOperatorOrganizations } from '../../src/organizations/organization-repository.js';
import { listOperatorPrograms } from '../../src/programs/program-repository.js';
import { openDatabase } from '../../src/store/database.js';
import * as initial from '../../src/store/migrations/0001-initial.js';
import * as manyInstances from '../../src/store/migrations/0002-many-instances.js';
import * as platformAdmin from '../../src/store/migrations/0003-platform-admin.js';
import * as organizations from '../../src/store/migrations/0004-organizations.js';
import type { Database } from '../../src/store/schema.js';
import { DIALECTS, type Dialect } from '../helpers/platform.js';

/** A database of `dialect` with the schema as it was before organizations (0001–0003). */
async function openOldDatabase(dialect: Dialect) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mycard-org-migration-'));
  let drop = async () => {};
  let handle: ReturnType<typeof openDatabase>;
  if (dialect === 'postgres') {
    const url = process.env.MYCARD_TEST_DATABASE_URL ?? '';
    const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    handle = openDatabase({ databaseUrl: url, dataDir, pgSchema: schema, pgPoolSize: 2 });
    drop = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    };
  } else {
    handle = openDatabase({ databaseUrl: '', dataDir });
  }
  await initial.up(handle.db as Kysely<unknown>);
  await manyInstances.up(handle.db as Kysely<unknown>);
  await platformAdmin.up(handle.db as Kysely<unknown>);
  return {
    db: handle.db,
    async close() {
      await handle.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function program(channelId: string, operatorId: string | null) {
  return {
    channel_id: channelId,
    operator_id: operatorId,
    name: `Program ${channelId}`,
    code_type: 'QRCODE',
    binding_url: 'https://shop.example/bind',
    webhook_url: null,
    status: 'LIVE' as const,
    colors: '{"background":"#000000","foreground":"#ffffff"}',
    detail: '{"kind":"custom","url":"https://shop.example/m"}',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
}

describe.each(DIALECTS)(
  'migration 0004: every operator gets an organization of their own on %s',
  (dialect) => {
    let close = async () => {};
    afterEach(async () => {
      await close();
    });

    it('makes each existing operator the owner of an organization holding exactly their programs', async () => {
      const old = await openOldDatabase(dialect);
      close = old.close;
      // Written against the old schema (no organization columns yet).
      const db = old.db as unknown as Kysely<
        Omit<Database, 'programs'> & { programs: ReturnType<typeof program> }
      >;
      for (const [id, name] of [
        ['op_alice', 'Alice'],
        ['op_bob', 'Bob'],
      ]) {
        await db
          .insertInto('operators')
          .values({
            id: id as string,
            email: `${id}@shop.example`,
            password_hash: 'x',
            display_name: name as string,
            created_at: '2026-01-01T00:00:00.000Z',
          })
          .execute();
      }
      await db
        .insertInto('programs')
        .values([
          program('1000000001', 'op_alice'),
          program('1000000002', 'op_alice'),
          program('1000000003', 'op_bob'),
          program('1000000004', null),
        ])
        .execute();

      await organizations.up(old.db as Kysely<unknown>);

      const aliceOrgs = await listOperatorOrganizations(old.db, 'op_alice');
      const bobOrgs = await listOperatorOrganizations(old.db, 'op_bob');
      expect(aliceOrgs).toEqual([expect.objectContaining({ name: 'Alice', role: 'owner' })]);
      expect(bobOrgs).toEqual([expect.objectContaining({ name: 'Bob', role: 'owner' })]);
      expect(aliceOrgs[0]?.organizationId).not.toBe(bobOrgs[0]?.organizationId);
      const alicePrograms = await listOperatorPrograms(old.db, 'op_alice');
      expect(alicePrograms.map((p) => [p.channelId, p.role]).sort()).toEqual([
        ['1000000001', 'owner'],
        ['1000000002', 'owner'],
      ]);
      expect((await listOperatorPrograms(old.db, 'op_bob')).map((p) => p.channelId)).toEqual(['1000000003']);
      // A program the CLI made without an operator belongs to no organization (as before: no console).
      const orphan = await old.db
        .selectFrom('programs')
        .select('organization_id')
        .where('channel_id', '=', '1000000004')
        .executeTakeFirstOrThrow();
      expect(orphan.organization_id).toBeNull();
    });

    it('refuses a member with a role outside the four (a check in the database itself)', async () => {
      const old = await openOldDatabase(dialect);
      close = old.close;
      await organizations.up(old.db as Kysely<unknown>);
      await old.db
        .insertInto('operators')
        .values({
          id: 'op_x',
          email: 'x@x.example',
          password_hash: 'x',
          display_name: 'X',
          created_at: 'now',
        })
        .execute();
      await old.db
        .insertInto('organizations')
        .values({ id: 'org_1', name: 'O', created_at: 'now' })
        .execute();
      await expect(
        old.db
          .insertInto('organization_members')
          .values({
            organization_id: 'org_1',
            operator_id: 'op_x',
            role: 'superuser' as never,
            created_at: 'now',
          })
          .execute(),
      ).rejects.toThrow();
    });
  },
);
