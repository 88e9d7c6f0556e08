import type { CodeType } from '@mycard/protocol';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/dialect.js';
import type { Database, Member } from '../db/schema.js';
import type { LoginId } from './login-id.js';
import { generateMembershipCode } from './membership-code.js';
import { hashPassword, type PasswordCost } from './password.js';

export interface CreateMemberInput {
  login: LoginId;
  password: string;
  displayName: string;
}

export interface CreateMemberOptions {
  codeType: CodeType;
  codePrefix: string;
  now: Date;
  /** scrypt cost of the password (config `passwordCost`); default standard. */
  passwordCost?: PasswordCost;
}

/** The login (e-mail or phone) is taken. */
export class LoginTakenError extends Error {
  override name = 'LoginTakenError';
}

/**
 * Creates a member with a fresh unique membership code and a zero balance in one transaction.
 * Throws {@link LoginTakenError} when the e-mail or phone is already registered.
 */
export async function createMember(
  db: Kysely<Database>,
  input: CreateMemberInput,
  options: CreateMemberOptions,
): Promise<Member> {
  const passwordHash = await hashPassword(input.password, options.passwordCost);
  const createdAt = options.now.toISOString();
  // A random code can collide with an existing one; a handful of tries makes that vanishingly rare.
  for (let attempt = 0; attempt < 8; attempt++) {
    const code = generateMembershipCode(options.codeType, options.codePrefix);
    try {
      return await db.transaction().execute(async (trx) => {
        const member = await trx
          .insertInto('members')
          .values({
            email: input.login.kind === 'email' ? input.login.value : null,
            phone: input.login.kind === 'phone' ? input.login.value : null,
            password_hash: passwordHash,
            display_name: input.displayName,
            membership_code: code,
            created_at: createdAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('balances')
          .values({ member_id: member.id, points: 0, lifetime_points: 0, version: 0, updated_at: createdAt })
          .execute();
        return member;
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const taken = await db
        .selectFrom('members')
        .select('id')
        .where(input.login.kind, '=', input.login.value)
        .executeTakeFirst();
      if (taken) throw new LoginTakenError('login taken', { cause: err });
    }
  }
  throw new Error('could not allocate a unique membership code');
}
