import type { Kysely } from 'kysely';
import type { Database, Operator } from '../db/schema.js';
import { dummyHash, hashPassword, type PasswordCost, verifyPassword } from './password.js';

export const OPERATOR_USERNAME = /^[a-z0-9._-]{3,32}$/;

/** Creates a POS operator (till login). Usernames are 3–32 of `a-z 0-9 . _ -`. */
export async function createOperator(
  db: Kysely<Database>,
  input: { username: string; password: string; displayName: string },
  now: Date,
  cost: PasswordCost = 'standard',
): Promise<Operator> {
  if (!OPERATOR_USERNAME.test(input.username))
    throw new TypeError('username must match ' + OPERATOR_USERNAME);
  if (input.password.length < 8) throw new TypeError('operator passwords have at least 8 characters');
  return db
    .insertInto('operators')
    .values({
      username: input.username,
      password_hash: await hashPassword(input.password, cost),
      display_name: input.displayName,
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The operator with this username and password, or undefined (same timing for unknown names). */
export async function authenticateOperator(
  db: Kysely<Database>,
  username: string,
  password: string,
  cost: PasswordCost = 'standard',
): Promise<Operator | undefined> {
  const op = await db.selectFrom('operators').selectAll().where('username', '=', username).executeTakeFirst();
  const ok = await verifyPassword(password, op?.password_hash ?? (await dummyHash(cost)));
  return op && ok ? op : undefined;
}
