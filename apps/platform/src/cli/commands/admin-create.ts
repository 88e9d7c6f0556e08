import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { appendAudit } from '../../audit/audit-log.js';
import type { PlatformConfig } from '../../config.js';
import { ensurePlatformAdmin, issueSignInLink, signInLinkUrl } from '../../operators/platform-admins.js';
import { DisplayNameSchema, EmailSchema, PasswordSchema } from '../../routes/console/session-routes.js';
import { openDatabase } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { type CliIo, UsageError } from '../cli-io.js';

const AdminInput = Type.Object({ email: EmailSchema, displayName: DisplayNameSchema });

/**
 * `mycard admin create --email E --name N [--json]`: a platform administrator (PROTOCOL.md §9).
 * On a terminal it asks for the password twice (never an argument: it would stay in the shell
 * history); otherwise it prints a one-time sign-in link valid 24 hours. An existing operator with
 * that e-mail is promoted (its password unchanged unless one is typed). Recorded in the audit log.
 */
export async function adminCreate(config: PlatformConfig, io: CliIo, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const input = { email: values.email ?? '', displayName: values.name ?? '' };
  if (!Value.Check(AdminInput, input)) {
    const problems = Value.Errors(AdminInput, input).map((e) => `${e.instancePath.slice(1)}: ${e.message}`);
    throw new UsageError(`invalid administrator: ${problems.join('; ')}`);
  }
  let password: string | undefined;
  if (io.askHidden) {
    password = await io.askHidden(`Password for ${input.email} (at least 10 characters): `);
    if (!Value.Check(PasswordSchema, password)) throw new UsageError('password: at least 10 characters');
    if ((await io.askHidden('Again: ')) !== password) throw new UsageError('the passwords differ');
  }
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db as never);
    const ctx = { db: database.db, now: () => new Date(), config };
    const { operator, created } = await ensurePlatformAdmin(ctx, {
      ...input,
      ...(password !== undefined ? { password } : {}),
    });
    if (password !== undefined && !created) {
      const { hashPassword } = await import('../../operators/password.js');
      await database.db
        .updateTable('operators')
        .set({ password_hash: await hashPassword(password, config.passwordCost) })
        .where('id', '=', operator.id)
        .execute();
    }
    await appendAudit(database.db, ctx.now(), {
      actorKind: 'cli',
      actorId: null,
      action: created ? 'operator.admin_created' : 'operator.admin_granted',
      targetType: 'operator',
      targetId: operator.id,
      details: { role: 'platform-admin' },
    });
    const link = password === undefined ? await issueSignInLink(ctx, operator.id) : undefined;
    const url = link ? signInLinkUrl(config.publicUrl, link.token) : undefined;
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ operator, created, ...(link ? { signInUrl: url, expiresAt: link.expiresAt } : {}) })}\n`,
      );
    } else {
      io.stdout(
        `platform administrator ${operator.email} ${created ? 'created' : 'granted'} (${operator.id})\n`,
      );
      if (url && link) io.stdout(`one-time sign-in link (valid until ${link.expiresAt}):\n  ${url}\n`);
      else io.stdout(`sign in at ${config.publicUrl}/console/ with the password you typed\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
