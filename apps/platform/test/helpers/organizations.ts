import type { OrganizationRole } from '@mycard/wire';
import type { ConsoleOperator } from '../console/console-client.js';
import { call } from '../console/console-client.js';
import type { TestPlatform } from './platform.js';

/** The organization an operator got at sign-up (their only one right after it). */
export async function ownOrganizationId(platform: TestPlatform, op: ConsoleOperator): Promise<string> {
  const res = await call(platform, op, 'GET', '/organizations');
  const orgs = res.json().info.organizations as { organizationId: string; role: string }[];
  const own = orgs.find((o) => o.role === 'owner');
  if (!own) throw new Error(`no own organization: ${res.body}`);
  return own.organizationId;
}

/**
 * Makes `op` a member of an organization straight in the database: set-up for tests of what a role
 * may do (invitations, the way members really join, are tested on their own).
 */
export async function addMemberDirectly(
  platform: TestPlatform,
  organizationId: string,
  op: ConsoleOperator,
  role: OrganizationRole,
): Promise<void> {
  await platform.ctx.db
    .insertInto('organization_members')
    .values({
      organization_id: organizationId,
      operator_id: op.id,
      role,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** Every row of the tables a console call can change, as one comparable text. */
export async function snapshotConsoleState(platform: TestPlatform): Promise<string> {
  const db = platform.ctx.db;
  const tables = [
    'programs',
    'program_secrets',
    'program_testers',
    'program_logos',
    'webhook_outbox',
    'organizations',
    'organization_members',
    'organization_invitations',
    'program_reviews',
    'console_notices',
    'audit_log',
    'bundles',
    'bundle_programs',
    'group_programs',
    'program_participants',
  ] as const;
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(out);
}
