import type { Kysely } from 'kysely';
import type { Database, Member } from '../db/schema.js';
import type { LoginId } from './login-id.js';
import { dummyHash, type PasswordCost, verifyPassword } from './password.js';

/** The member with this login and password, or undefined (same timing for unknown logins). */
export async function authenticateMember(
  db: Kysely<Database>,
  login: LoginId,
  password: string,
  cost: PasswordCost = 'standard',
): Promise<Member | undefined> {
  const member = await db
    .selectFrom('members')
    .selectAll()
    .where(login.kind, '=', login.value)
    .executeTakeFirst();
  const ok = await verifyPassword(password, member?.password_hash ?? (await dummyHash(cost)));
  return member && ok ? member : undefined;
}
