import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { expiryRunCommand } from '../../src/cli/expiry-run.js';
import { expireDueLots, runExpiryJob } from '../../src/jobs/expiry-job.js';
import { claimRun } from '../../src/jobs/job-claims.js';
import { openLots } from '../../src/ledger/lots.js';
import type { PlatformPort } from '../../src/platform/platform-port.js';
import {
  addMember,
  buildMerchant,
  concurrencyTitle,
  createTestStore,
  DIALECTS,
  type PosClient,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

/** Every entry as a comparable row, in id order (what "the same ledger" means). */
async function ledger(merchant: MerchantApp) {
  const rows = await merchant.context.db
    .selectFrom('ledger_entries')
    .select(['id', 'member_id', 'kind', 'points', 'balance_after', 'idempotency_key', 'reverses_entry_id'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), member_id: Number(r.member_id) }));
}

/** Balance = sum of entries = what is left of the lots, for every member. */
async function expectBooksAgree(merchant: MerchantApp) {
  const { db } = merchant.context;
  const sums = await db
    .selectFrom('ledger_entries')
    .select(['member_id', sql<number>`sum(points)`.as('points')])
    .groupBy('member_id')
    .execute();
  for (const b of await db.selectFrom('balances').selectAll().execute()) {
    const sum = Number(sums.find((s) => Number(s.member_id) === Number(b.member_id))?.points ?? 0);
    const lots = await openLots(db, Number(b.member_id));
    expect([b.points, lots.reduce((n, l) => n + l.left, 0)]).toEqual([sum, sum]);
  }
}

/** A platform port that records card messages (the real platform is in the e2e suite). */
function recordingPort() {
  const sent: Array<{ bindingId: string; messageId: string; title: string; body: string }> = [];
  const unused = async (): Promise<never> => {
    throw new Error('unused');
  };
  const port: PlatformPort = {
    channelId: '1234567890',
    verifyBindingRequest: unused,
    apply: unused,
    unbind: unused,
    resolveOneTimeKey: unused,
    getBinding: unused,
    verifyWebhook: unused,
    updateProfile: async () => undefined,
    sendMessage: async (message) => {
      sent.push(message);
    },
  };
  return { port, sent };
}

describe.each(DIALECTS)('the daily points expiry job (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  /** A second instance on the same database (another process in production). */
  let other: MerchantApp;
  let pos: PosClient;
  let now = new Date('2026-01-10T10:00:00.000Z');
  let tills = 0;
  const platform = recordingPort();
  const at = async (iso: string) => {
    now = new Date(iso);
    pos = await posClient(merchant, `till-${++tills}`);
  };

  beforeAll(async () => {
    store = createTestStore(dialect, { points: { expiryMonths: 12, expiryNoticeDays: 14 } });
    merchant = await buildMerchant(store, { now: () => now, platform: platform.port });
    other = await buildMerchant(store, { now: () => now, platform: platform.port });
    pos = await posClient(merchant);
  });
  afterAll(async () => {
    await other?.close();
    await merchant?.close();
    await store?.destroy();
  });

  it('expires what is left of each lot when its date has passed, FIFO redemptions first; a second run changes nothing', async () => {
    const member = await addMember(merchant, 'expiry@example.com');
    const code = member.membership_code;
    await at('2026-01-10T10:00:00.000Z');
    const a = await pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'EX-A' });
    await at('2026-02-10T10:00:00.000Z');
    const b = await pos.post('accrue', { code, amount: 2000, currency: 'TWD', orderId: 'EX-B' });
    await pos.post('redeem', { code, points: 4, orderId: 'EX-R' }); // from A (oldest): A has 6 left

    // A day before A's expiry: nothing is due.
    await at('2027-01-09T10:00:00.000Z');
    expect(await runExpiryJob(merchant.context, { owner: 'one' })).toMatchObject({
      ran: true,
      expiredLots: 0,
    });
    // At A's expiry instant it is due: one expire entry for the 6 left, taken from A.
    await at('2027-01-10T10:00:00.000Z');
    const run = await runExpiryJob(merchant.context, { owner: 'one' });
    expect(run).toMatchObject({ runKey: '2027-01-10', ran: true, expiredLots: 1, expiredPoints: 6 });
    const expired = (await ledger(merchant)).filter((e) => e.kind === 'expire');
    expect(expired).toEqual([
      expect.objectContaining({
        member_id: member.id,
        points: -6,
        balance_after: 20,
        idempotency_key: `expire:${a.body.entry.id}`,
        reverses_entry_id: a.body.entry.id,
      }),
    ]);
    expect((await openLots(merchant.context.db, member.id)).map((l) => [l.id, l.left])).toEqual([
      [b.body.entry.id, 20],
    ]);

    // Run twice: the day is done (skipped); run again on purpose (the CLI's `again`): nothing new.
    const before = await ledger(merchant);
    expect(await runExpiryJob(merchant.context, { owner: 'one' })).toMatchObject({ ran: false });
    expect(await runExpiryJob(other.context, { owner: 'two', again: true })).toMatchObject({
      ran: true,
      expiredLots: 0,
    });
    expect(await expireDueLots(merchant.context)).toEqual({ expiredLots: 0, expiredPoints: 0 });
    expect(await ledger(merchant)).toEqual(before);

    // A refund of the expired sale takes back nothing and says so.
    await at('2027-01-11T10:00:00.000Z');
    const refund = await pos.post('refund', { orderId: 'EX-A', refundId: 'R1' });
    expect([refund.status, refund.body.entry.points, refund.body.pointsNotTakenBack]).toEqual([201, 0, 10]);
    await expectBooksAgree(merchant);
  });

  it(
    concurrencyTitle(dialect, 'two instances running the expiry at once write the same ledger as one run'),
    async () => {
      await at('2026-03-01T08:00:00.000Z');
      const members = [];
      for (let i = 0; i < 4; i++) members.push(await addMember(merchant, `conc${i}@example.com`));
      for (const [i, m] of members.entries()) {
        for (let j = 0; j < 3; j++) {
          await pos.post('accrue', {
            code: m.membership_code,
            amount: 100 * (i + 1) * (j + 2),
            currency: 'TWD',
            orderId: `C-${i}-${j}`,
          });
        }
        await pos.post('redeem', { code: m.membership_code, points: 1 + i, orderId: `CR-${i}` });
      }
      const lotsBefore = (await Promise.all(members.map((m) => openLots(merchant.context.db, m.id)))).flat();
      await at('2027-03-02T08:00:00.000Z');
      // With the claim: one of the two instances runs the day, the other finds it taken.
      const runs = await Promise.all([
        runExpiryJob(merchant.context, { owner: 'instance-a' }),
        runExpiryJob(other.context, { owner: 'instance-b' }),
      ]);
      expect(runs.filter((r) => r.ran)).toHaveLength(1);
      const once = await ledger(merchant);
      const expiries = once.filter((e) => e.kind === 'expire' && e.idempotency_key.startsWith('expire:'));
      expect(
        expiries.filter((e) => lotsBefore.some((l) => `expire:${l.id}` === e.idempotency_key)),
      ).toHaveLength(lotsBefore.length);
      for (const lot of lotsBefore) {
        expect(expiries.find((e) => e.idempotency_key === `expire:${lot.id}`)?.points).toBe(-lot.left);
      }
      for (const m of members) expect(await openLots(merchant.context.db, m.id)).toEqual([]);

      // Without the claim (its lease stolen, a bug): both instances expire at once → still the same.
      await Promise.all([
        expireDueLots(merchant.context),
        expireDueLots(other.context),
        expireDueLots(other.context),
      ]);
      expect(await ledger(merchant)).toEqual(once);
      await expectBooksAgree(merchant);
    },
  );

  it("a claim is one instance's until its lease runs out unfinished; a finished day is taken only on purpose", async () => {
    const { db } = merchant.context;
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    const claim = (owner: string, at: Date, again = false) =>
      claimRun(db, { job: 'test-job', runKey: '2030-01-01', owner, now: at, leaseSeconds: 600, again });
    expect(await claim('a', t0)).toBe(true);
    expect(await claim('b', new Date(t0.getTime() + 599_000))).toBe(false); // a is alive
    expect(await claim('b', new Date(t0.getTime() + 599_000), true)).toBe(false); // even on purpose
    expect(await claim('b', new Date(t0.getTime() + 601_000))).toBe(true); // a died: b takes over
    const [x, y] = await Promise.all([
      claim('c', new Date(t0.getTime() + 1_300_000)),
      claim('d', new Date(t0.getTime() + 1_300_000)),
    ]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
  });

  it('queues "points about to expire" 14 days before, once per lot, only for a card in the wallet; sends it with a stable id', async () => {
    const member = await addMember(merchant, 'notice@example.com');
    const code = member.membership_code;
    await at('2026-05-20T09:00:00.000Z');
    const sale = await pos.post('accrue', { code, amount: 3000, currency: 'TWD', orderId: 'NO-1' });
    const { db } = merchant.context;
    const link = async (state: 'active' | 'unbound') =>
      db
        .insertInto('wallet_links')
        .values({
          binding_id: `bnd_notice_${state}_xxxxxxxxxxxxxx`,
          member_id: member.id,
          subject: 'sub',
          state,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          unbound_reason: null,
        })
        .execute();
    await link('unbound');
    await at('2027-05-06T09:00:00.000Z'); // 14 days before 2027-05-20T09:00
    await runExpiryJob(merchant.context, { owner: 'n', again: true });
    const queued = () =>
      db.selectFrom('message_outbox').selectAll().where('member_id', '=', member.id).execute();
    expect(await queued()).toHaveLength(0); // no card in a wallet: no message
    await link('active');
    await at('2027-05-06T08:59:59.000Z'); // 14 days + 1 s before: not yet
    await runExpiryJob(merchant.context, { owner: 'n', again: true });
    expect(await queued()).toHaveLength(0);
    await at('2027-05-06T09:00:00.000Z');
    const run = await runExpiryJob(merchant.context, { owner: 'n', again: true });
    expect(run.noticesQueued).toBe(1);
    const [row] = await queued();
    expect(row).toMatchObject({
      message_id: `expiring-${sale.body.entry.id}`,
      binding_id: 'bnd_notice_active_xxxxxxxxxxxxxx',
      title: 'Points expiring soon',
      state: 'pending',
    });
    expect(row?.body).toContain('30 of your Demo Mart points expire on May 20, 2027');
    // The next days' runs queue nothing more for this lot.
    await at('2027-05-07T09:00:00.000Z');
    expect((await runExpiryJob(merchant.context, { owner: 'n' })).noticesQueued).toBe(0);
    expect(await queued()).toHaveLength(1);
    // Delivered once; a lost answer sends the same message id again (the platform keeps one).
    expect(await merchant.messages.runOnce()).toBeGreaterThanOrEqual(1);
    const mine = platform.sent.filter((m) => m.messageId === `expiring-${sale.body.entry.id}`);
    expect(mine).toHaveLength(1);
    expect((await queued())[0]?.state).toBe('sent');
  });

  it('the schedule runs the day once from its UTC hour, and the CLI command runs it on demand', async () => {
    await at('2031-06-01T00:30:00.000Z');
    const late = await buildMerchant(
      store,
      { now: () => now, platform: platform.port },
      {
        expiryJob: { schedule: true, hourUtc: 2 },
      },
    );
    try {
      expect(await late.expiry.tick()).toBeUndefined(); // before 02:00 UTC
      await at('2031-06-01T02:00:00.000Z');
      expect(await late.expiry.tick()).toMatchObject({ runKey: '2031-06-01', ran: true });
      expect(await late.expiry.tick()).toMatchObject({ ran: false });
    } finally {
      await late.close();
    }
    const out = await expiryRunCommand(store.config);
    expect(out).toMatch(
      /^expiry \d{4}-\d{2}-\d{2}: \d+ lots expired \(\d+ points\), \d+ notices queued, \d+ messages sent$/,
    );
  });
});
