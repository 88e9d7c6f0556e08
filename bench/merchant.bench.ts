import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createMerchantApp, type MerchantApp } from '../apps/merchant/src/app.js';
import { createMember } from '../apps/merchant/src/members/create-member.js';
import { createOperator } from '../apps/merchant/src/members/operators.js';
import { type BenchResult, runGroup } from './harness.js';

const MEMBERS = 20;

interface BenchMerchant {
  /** One accrual through `POST /api/pos/accrue` (operator session + CSRF), checked for 201. */
  accrue(): Promise<void>;
  /** SQLite's `synchronous` as read back from the app's own connection (2 = FULL, 1 = NORMAL). */
  synchronous: number;
  close(): Promise<void>;
}

/**
 * The reference merchant on SQLite in a temp folder, with 20 members and a signed-in till. With
 * `synchronous: 'NORMAL'` the app's own (single) SQLite connection is switched to
 * `PRAGMA synchronous = NORMAL` after start-up; nothing else differs from the shipped app
 * (WAL, `synchronous = FULL`). Accruals never reach a platform: the members are not linked.
 */
async function startMerchant(synchronous: 'FULL' | 'NORMAL'): Promise<BenchMerchant> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mycard-bench-merchant-'));
  let merchant: MerchantApp | undefined;
  try {
    // Unlinked members: accruals never call the platform (the sync worker is off: pollMs 0).
    merchant = await createMerchantApp({
      port: 0,
      dataDir,
      logLevel: 'silent',
      sessionSecret: 'bench-session-secret-bench-session-secret',
      sync: { pollMs: 0 },
    });
    const { app, config, context } = merchant;
    if (synchronous === 'NORMAL') await sql`pragma synchronous = NORMAL`.execute(context.db);
    const row = await sql<{ synchronous: number }>`pragma synchronous`.execute(context.db);
    const level = Number(row.rows[0]?.synchronous);
    if (level !== (synchronous === 'FULL' ? 2 : 1)) throw new Error(`synchronous is ${level}`);

    const codes: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
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
    const login = await app.inject({
      method: 'POST',
      url: '/api/pos/session',
      payload: { username: 'till1', password: 'operator-password' },
    });
    if (login.statusCode !== 200) throw new Error(`POS login failed: ${login.body}`);
    const cookie = (login.cookies as { name: string; value: string }[])
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const csrf = login.json().csrfToken as string;

    let order = 0;
    const m = merchant;
    return {
      synchronous: level,
      async accrue() {
        const n = ++order;
        const res = await app.inject({
          method: 'POST',
          url: '/api/pos/accrue',
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          payload: JSON.stringify({
            code: codes[n % MEMBERS],
            amount: 1050,
            currency: config.currency,
            orderId: `B-${n}`,
          }),
        });
        if (res.statusCode !== 201)
          throw new Error(`accrue: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
      },
      async close() {
        try {
          await m.close();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await merchant?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The reference merchant's ledger: accruals through its own route (`POST /api/pos/accrue`, operator
 * session, via app.inject), as shipped (durable commits: WAL + synchronous=FULL, an fsync per
 * commit) against the same app with synchronous=NORMAL (WAL fsynced only at checkpoints), one at a
 * time and 20 at once.
 */
export async function benchMerchant(): Promise<BenchResult[]> {
  const full = await startMerchant('FULL');
  const normal = await startMerchant('NORMAL').catch(async (err) => {
    await full.close();
    throw err;
  });
  try {
    const options = { durationMs: 2000, warmupMs: 300, maxOps: 20_000 };
    return [
      ...(await runGroup(
        'merchant accrue, sequential (SQLite)',
        [
          { name: 'POST /api/pos/accrue, synchronous=NORMAL', baseline: true, fn: normal.accrue },
          { name: 'POST /api/pos/accrue, synchronous=FULL (shipped)', fn: full.accrue },
        ],
        options,
      )),
      ...(await runGroup(
        'merchant accrue, 20 concurrent (SQLite)',
        [
          {
            name: 'POST /api/pos/accrue ×20, synchronous=NORMAL',
            baseline: true,
            concurrency: 20,
            fn: normal.accrue,
          },
          {
            name: 'POST /api/pos/accrue ×20, synchronous=FULL (shipped)',
            concurrency: 20,
            fn: full.accrue,
          },
        ],
        options,
      )),
    ];
  } finally {
    await full.close();
    await normal.close();
  }
}
