import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMerchantApp } from '../../apps/merchant/src/app.js';
import { createMember } from '../../apps/merchant/src/members/create-member.js';
import { createOperator } from '../../apps/merchant/src/members/operators.js';
import { StatementCounter } from '../../test-support/statement-counter.js';
import { onStop, serverReady } from '../server-child.js';

/**
 * The reference merchant as the bench runs it over HTTP: its own process, as shipped (SQLite in a
 * temp folder with WAL + synchronous=FULL and group commit, or PostgreSQL in a schema of its own),
 * `members` unlinked members (accruals never call a platform) and one till login, on 127.0.0.1 and
 * a free port. A statement counter watches the connection (transactions per accrual); IPC
 * `{ type: 'stats' }` answers `{ type: 'stats', commits, requests, transactions, statements }`.
 *
 * argv[2]: JSON `{ members, databaseUrl?, schema? }`.
 */
const options = JSON.parse(process.argv[2] ?? '{}') as {
  members: number;
  databaseUrl?: string;
  schema?: string;
};
const dataDir = mkdtempSync(join(tmpdir(), 'mycard-bench-ledger-'));
const counter = new StatementCounter({ keepLog: false });
const merchant = await createMerchantApp(
  {
    port: 0,
    dataDir,
    sessionSecret: 'bench-session-secret-bench-session-secret',
    sync: { pollMs: 0 },
    ...(options.databaseUrl
      ? { databaseUrl: options.databaseUrl, databaseSchema: options.schema ?? '' }
      : {}),
  },
  { observeStatements: counter.observe },
);
const { config, context } = merchant;
const codes: string[] = [];
for (let i = 0; i < options.members; i++) {
  const member = await createMember(
    context.db,
    {
      login: { kind: 'email', value: `bench${i}@example.com` },
      password: 'member-password-1',
      displayName: `M${i}`,
    },
    { codeType: config.codeType, codePrefix: config.codePrefix, now: new Date() },
  );
  codes.push(member.membership_code);
}
await createOperator(
  context.db,
  { username: 'till1', password: 'operator-password', displayName: 'Till' },
  new Date(),
);
process.on('message', (m: { type?: string }) => {
  if (m?.type !== 'stats' || !process.send) return;
  process.send({
    type: 'stats',
    ...context.ledger.stats(),
    transactions: counter.transactions,
    statements: counter.statements,
  });
});
await merchant.app.listen({ port: 0, host: '127.0.0.1' });
const address = merchant.app.server.address();
if (!address || typeof address === 'string') throw new Error('no address');
serverReady({ url: `http://127.0.0.1:${address.port}`, codes, currency: config.currency });
onStop(async () => {
  try {
    await merchant.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
