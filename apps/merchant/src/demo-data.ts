import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MerchantContext } from './context.js';
import { createMember } from './members/create-member.js';
import { createOperator } from './members/operators.js';

export interface DemoLogins {
  member: { login: string; password: string; membershipCode: string };
  operator: { username: string; password: string };
}

const DEMO_FILE = 'demo-logins.json';
const DEMO_OPERATOR = 'cashier';

/**
 * Development only: makes sure a demo member and a POS operator exist. Passwords are random on
 * the first start and kept in `<dataDir>/demo-logins.json` (mode 0600), so every later start prints
 * the same logins. Never called in production mode.
 */
export async function ensureDemoData(ctx: MerchantContext): Promise<DemoLogins> {
  if (ctx.config.mode === 'production') throw new Error('ensureDemoData is for development mode only');
  // demo@demo-mart.test for Demo Mart, demo@demo-group.test for the demo group's shop.
  const slug =
    ctx.config.brand.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'shop';
  const DEMO_MEMBER = `demo@${slug}.test`;
  const file = join(ctx.config.dataDir, DEMO_FILE);
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoLogins) : undefined;
  const memberPassword = saved?.member.password ?? randomBytes(6).toString('base64url');
  const operatorPassword = saved?.operator.password ?? randomBytes(6).toString('base64url');

  let member = await ctx.db
    .selectFrom('members')
    .selectAll()
    .where('email', '=', DEMO_MEMBER)
    .executeTakeFirst();
  member ??= await createMember(
    ctx.db,
    { login: { kind: 'email', value: DEMO_MEMBER }, password: memberPassword, displayName: 'Demo Member' },
    {
      codeType: ctx.config.codeType,
      codePrefix: ctx.config.codePrefix,
      now: ctx.now(),
      passwordCost: ctx.config.passwordCost,
    },
  );
  const operator = await ctx.db
    .selectFrom('operators')
    .select('id')
    .where('username', '=', DEMO_OPERATOR)
    .executeTakeFirst();
  if (!operator) {
    await createOperator(
      ctx.db,
      { username: DEMO_OPERATOR, password: operatorPassword, displayName: 'Demo Cashier' },
      ctx.now(),
      ctx.config.passwordCost,
    );
  }
  const logins: DemoLogins = {
    member: { login: DEMO_MEMBER, password: memberPassword, membershipCode: member.membership_code },
    operator: { username: DEMO_OPERATOR, password: operatorPassword },
  };
  mkdirSync(ctx.config.dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(logins, null, 2)}\n`, { mode: 0o600 });
  return logins;
}
