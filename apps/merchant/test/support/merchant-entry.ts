/**
 * A reference-merchant process for the crash and multi-instance tests: the real app (the same
 * `createMerchantApp` that `main.ts` runs) with its config from MYCARD_TEST_MERCHANT_CONFIG (JSON),
 * so a test can set what has no environment variable (the outbox poll, the lease). Creates the
 * till login MYCARD_TEST_MERCHANT_OPERATOR (`user:password`) when it does not exist yet.
 */
import { createMerchantApp } from '../../src/app.js';
import { createOperator } from '../../src/members/operators.js';

const merchant = await createMerchantApp(JSON.parse(process.env.MYCARD_TEST_MERCHANT_CONFIG ?? '{}'));
const operator = process.env.MYCARD_TEST_MERCHANT_OPERATOR;
if (operator) {
  const [username = '', password = ''] = operator.split(':');
  const exists = await merchant.context.db
    .selectFrom('operators')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (!exists)
    await createOperator(
      merchant.context.db,
      { username, password, displayName: username },
      new Date(),
    ).catch(
      // Another instance created it at the same moment.
      () => undefined,
    );
}
await merchant.app.listen({ port: merchant.config.port, host: '127.0.0.1' });
process.once('SIGTERM', () => void merchant.close().then(() => process.exit(0)));
