import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { PlatformConfig } from '../../config.js';
import { createOperator, OperatorExistsError } from '../../operators/operator-repository.js';
import { DisplayNameSchema, EmailSchema, PasswordSchema } from '../../routes/console/session-routes.js';
import { openDatabase } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { type CliIo, UsageError } from '../cli-io.js';

const OperatorInput = Type.Object({
  email: EmailSchema,
  password: PasswordSchema,
  displayName: DisplayNameSchema,
});

/** `mycard operator create --email E --password P --name N [--json]`: a console account. */
export async function operatorCreate(config: PlatformConfig, io: CliIo, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const input = {
    email: values.email ?? '',
    password: values.password ?? '',
    displayName: values.name ?? '',
  };
  if (!Value.Check(OperatorInput, input)) {
    const problems = Value.Errors(OperatorInput, input).map(
      (e) => `${e.instancePath.slice(1)}: ${e.message}`,
    );
    throw new UsageError(`invalid operator: ${problems.join('; ')} (password: at least 10 characters)`);
  }
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db as never);
    const operator = await createOperator({ db: database.db, now: () => new Date(), config }, input);
    if (values.json) io.stdout(`${JSON.stringify(operator)}\n`);
    else io.stdout(`operator ${operator.email} created (${operator.id})\n`);
    return 0;
  } catch (err) {
    if (err instanceof OperatorExistsError)
      throw new UsageError(`an operator with e-mail ${input.email} exists already`);
    throw err;
  } finally {
    await database.close();
  }
}
