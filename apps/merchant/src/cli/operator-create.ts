import { parseArgs } from 'node:util';
import type { MerchantConfigInput } from '../config.js';
import { resolveMerchantConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createOperator } from '../members/operators.js';
import { loadSecrets } from '../secrets.js';

/**
 * `main.ts operator create --username U --name N` — adds a POS operator (a till login) in
 * production, where no demo data exists. The password comes from MYCARD_MERCHANT_OPERATOR_PASSWORD
 * (so it stays out of shell history and process lists), at least 8 characters.
 */
export async function operatorCreateCommand(
  args: string[],
  input: MerchantConfigInput,
  password: string | undefined,
): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  if (!values.username || !values.name) throw new Error('usage: operator create --username U --name N');
  if (!password) throw new Error('set MYCARD_MERCHANT_OPERATOR_PASSWORD to the new operator password');
  const { config } = loadSecrets(resolveMerchantConfig(input));
  const handle = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
  });
  try {
    await migrateToLatest(handle.db, config.databaseSchema || undefined);
    const op = await createOperator(
      handle.db,
      { username: values.username, password, displayName: values.name },
      new Date(),
      config.passwordCost,
    );
    return `operator ${op.username} created`;
  } finally {
    await handle.close();
  }
}
