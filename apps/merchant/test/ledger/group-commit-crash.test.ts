import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { freePort } from '../../../../test-support/free-port.js';
import { addMember, buildMerchant, createTestStore, posClient } from '../support/merchant-harness.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const TILLS = 64;

/**
 * kill -9 of the merchant while 64 tills accrue through group commits (SQLite, WAL,
 * synchronous=FULL): after a restart every acknowledged accrual is in the ledger exactly once,
 * what was never acknowledged is either wholly there or wholly absent, every balance is the sum
 * of its entries, and retrying every order (as the tills would) doubles nothing.
 */
describe('ledger group commit survives kill -9 (SQLite)', () => {
  const store = createTestStore('sqlite');
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store.destroy();
  });

  it('loses only unacknowledged accruals and doubles nothing', async () => {
    // Members and a till login, written by an in-process app that is then closed.
    const setup = await buildMerchant(store);
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) codes.push((await addMember(setup, `crash${i}@example.com`)).membership_code);
    await posClient(setup, 'till1');
    await setup.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let output = '';
    child = spawn(process.execPath, ['--import', TSX, '--conditions=@mycard/source', MAIN], {
      env: {
        ...process.env,
        MYCARD_MERCHANT_PORT: String(port),
        MYCARD_MERCHANT_HOST: '127.0.0.1',
        MYCARD_MERCHANT_PUBLIC_URL: base,
        MYCARD_MERCHANT_DATA_DIR: store.dataDir,
        MYCARD_MERCHANT_DATABASE_URL: '',
        MYCARD_MERCHANT_SESSION_SECRET: 'test-session-secret-test-session-secret',
        MYCARD_MERCHANT_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    proc.stdout?.on('data', (d) => {
      output = (output + String(d)).slice(-4000);
    });
    proc.stderr?.on('data', (d) => {
      output = (output + String(d)).slice(-4000);
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`merchant exited: ${output}`);
      if (
        await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`merchant not ready: ${output}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    const login = await fetch(`${base}/api/pos/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'till1', password: 'operator-password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => defined(c.split(';')[0]))
      .join('; ');
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

    // 64 tills accrue until the process dies; each remembers what it sent and what was acknowledged.
    const sent: { orderId: string; code: string }[] = [];
    const acked = new Map<string, number>(); // orderId → entry id
    let killed = false;
    let order = 0;
    const till = async () => {
      while (!killed) {
        const n = order++;
        const body = {
          code: defined(codes[n % codes.length]),
          amount: 1000,
          currency: 'TWD',
          orderId: `K-${n}`,
        };
        sent.push({ orderId: body.orderId, code: body.code });
        try {
          const res = await fetch(`${base}/api/pos/accrue`, {
            method: 'POST',
            headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (res.status !== 201) throw new Error(`accrue ${res.status}: ${await res.text()}`);
          const json = (await res.json()) as { entry: { id: number } };
          acked.set(body.orderId, json.entry.id);
        } catch (err) {
          if (!killed) throw err;
        }
      }
    };
    const tills = Array.from({ length: TILLS }, till);
    // Kill once a good number of groups went through, in the middle of the traffic.
    while (acked.size < 400) await new Promise((r) => setTimeout(r, 5));
    proc.kill('SIGKILL');
    killed = true;
    await new Promise((r) => proc.once('exit', r));
    await Promise.allSettled(tills);
    expect(acked.size).toBeGreaterThanOrEqual(400);

    // Restart (in process) on the same files: SQLite recovers from the WAL.
    const merchant = await buildMerchant(store);
    try {
      const db = merchant.context.db;
      const entries = await db
        .selectFrom('ledger_entries')
        .select(['id', 'order_id', 'member_id', 'points'])
        .execute();
      const byOrder = new Map<string, number>();
      for (const e of entries) {
        expect(byOrder.has(e.order_id), `order ${e.order_id} twice`).toBe(false);
        byOrder.set(e.order_id, e.id);
      }
      // Every acknowledged accrual is there, with the entry id the till was told.
      for (const [orderId, id] of acked) expect(byOrder.get(orderId), orderId).toBe(id);
      await expectBalancesAreSums(merchant);

      // The tills retry what they never saw acknowledged (and, by mistake, the rest too).
      const pos = await posClient(merchant, 'till2');
      for (const s of sent) {
        const res = await pos.post('accrue', {
          code: s.code,
          amount: 1000,
          currency: 'TWD',
          orderId: s.orderId,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const known = acked.get(s.orderId);
        if (known !== undefined) expect(res.body.entry.id).toBe(known);
      }
      const after = await db.selectFrom('ledger_entries').select(['order_id']).execute();
      expect(after).toHaveLength(sent.length);
      expect(new Set(after.map((e) => e.order_id)).size).toBe(sent.length);
      await expectBalancesAreSums(merchant);
    } finally {
      await merchant.close();
    }
  }, 120_000);
});

async function expectBalancesAreSums(merchant: Awaited<ReturnType<typeof buildMerchant>>): Promise<void> {
  const db = merchant.context.db;
  const balances = await db.selectFrom('balances').select(['member_id', 'points']).execute();
  for (const b of balances) {
    const sum = await db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.val(0)).as('total'))
      .where('member_id', '=', b.member_id)
      .executeTakeFirstOrThrow();
    expect(Number(sum.total), `member ${b.member_id}`).toBe(b.points);
  }
}
