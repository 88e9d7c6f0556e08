import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOperator, findOperatorByEmail, type PlatformContext } from '@mycard/platform';

export const DEMO_OPERATOR_EMAIL = 'operator@demo-mart.test';
/** In the platform's data folder, mode 0600; the banner prints it. */
export const CONSOLE_DEMO_LOGIN_FILE = 'console-demo-login.json';

export interface ConsoleDemoLogin {
  email: string;
  password: string;
}

/**
 * Development only: a console operator who owns Demo Mart. The password is generated on the first
 * start and kept in the platform's data folder, so later starts print the same login.
 */
export async function ensureDemoOperator(ctx: PlatformContext): Promise<ConsoleDemoLogin> {
  const file = join(ctx.config.dataDir, CONSOLE_DEMO_LOGIN_FILE);
  let login: ConsoleDemoLogin | undefined = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as ConsoleDemoLogin)
    : undefined;
  const existing = await findOperatorByEmail(ctx.db, DEMO_OPERATOR_EMAIL);
  if (!login || !existing) {
    login = { email: DEMO_OPERATOR_EMAIL, password: randomBytes(9).toString('base64url') };
    if (existing) await ctx.db.deleteFrom('operators').where('id', '=', existing.id).execute();
    await createOperator(ctx, {
      email: login.email,
      password: login.password,
      displayName: 'Demo Mart operator',
    });
    mkdirSync(ctx.config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  }
  return login;
}
