import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePlatformAdmin, findOperatorByEmail, type PlatformContext } from '@mycard/platform';
import type { ConsoleDemoLogin } from './demo-operator.js';

export const DEMO_ADMIN_EMAIL = 'admin@mycard.test';
/** In the platform's data folder, mode 0600; the banner prints it. */
export const ADMIN_DEMO_LOGIN_FILE = 'admin-demo-login.json';

/**
 * Development only: a platform administrator (PROTOCOL.md §9, issue 14) for the console's admin area.
 * The password is generated on the first start and kept in the platform's data folder, so later
 * starts print the same login.
 */
export async function ensureDemoAdmin(ctx: PlatformContext): Promise<ConsoleDemoLogin> {
  const file = join(ctx.config.dataDir, ADMIN_DEMO_LOGIN_FILE);
  let login: ConsoleDemoLogin | undefined = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as ConsoleDemoLogin)
    : undefined;
  const existing = await findOperatorByEmail(ctx.db, DEMO_ADMIN_EMAIL);
  if (!login || !existing) {
    login = { email: DEMO_ADMIN_EMAIL, password: randomBytes(9).toString('base64url') };
    if (existing) await ctx.db.deleteFrom('operators').where('id', '=', existing.id).execute();
    await ensurePlatformAdmin(ctx, {
      email: login.email,
      displayName: 'Platform admin',
      password: login.password,
    });
    mkdirSync(ctx.config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  }
  return login;
}
