import type { Kysely } from 'kysely';
import { randomToken } from '../crypto/tokens.js';
import { createOrganization } from '../organizations/organization-repository.js';
import { isUniqueViolation } from '../store/dialect.js';
import type { Database, OperatorTable, PlatformRole } from '../store/schema.js';
import { hashPassword, type PasswordCost } from './password.js';

/** A console operator: the merchant staff member who registers programs (PROTOCOL.md §7). */
export interface Operator {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
  /** `platform-admin` for the people who run the platform (PROTOCOL.md §9), else null. */
  platformRole: PlatformRole | null;
}

/** The columns an {@link Operator} is built from (never the password hash). */
export const OPERATOR_COLUMNS = [
  'operators.id',
  'operators.email',
  'operators.display_name',
  'operators.created_at',
  'operators.platform_role',
] as const;

export function toOperator(
  row: Pick<OperatorTable, 'id' | 'email' | 'display_name' | 'created_at'> & {
    platform_role?: PlatformRole | null;
  },
): Operator {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    createdAt: row.created_at,
    platformRole: row.platform_role ?? null,
  };
}

/**
 * E-mail addresses are matched case-insensitively: they are stored and looked up lower-cased
 * (docs/console-api.md). Everything else about them is kept exactly as sent.
 */
export function normalizeEmail(email: string): string {
  return email.toLowerCase();
}

export class OperatorExistsError extends Error {
  override name = 'OperatorExistsError';
}

/** Creates an operator account; throws {@link OperatorExistsError} when the e-mail is taken. */
export async function createOperator(
  ctx: { db: Kysely<Database>; now: () => Date; config?: { passwordCost: PasswordCost } },
  input: { email: string; password: string; displayName: string; platformRole?: PlatformRole | null },
): Promise<Operator> {
  const row = {
    id: `op_${randomToken(12)}`,
    email: normalizeEmail(input.email),
    password_hash: await hashPassword(input.password, ctx.config?.passwordCost),
    display_name: input.displayName,
    created_at: ctx.now().toISOString(),
    platform_role: input.platformRole ?? null,
  };
  try {
    // Every operator has an organization of their own, as its owner (PROTOCOL.md §7).
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('operators').values(row).execute();
      await createOrganization(trx, ctx.now(), { name: row.display_name, ownerId: row.id });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'operators_email_key'))
      throw new OperatorExistsError('e-mail already registered');
    throw err;
  }
  return toOperator(row);
}

/** The operator with this e-mail and its password hash, for sign-in. */
export async function findOperatorByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<(Operator & { passwordHash: string }) | undefined> {
  const row = await db
    .selectFrom('operators')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row ? { ...toOperator(row), passwordHash: row.password_hash } : undefined;
}

export async function getOperator(db: Kysely<Database>, id: string): Promise<Operator | undefined> {
  const row = await db
    .selectFrom('operators')
    .select(OPERATOR_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toOperator(row) : undefined;
}
