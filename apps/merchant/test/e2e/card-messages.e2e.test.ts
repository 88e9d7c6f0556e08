import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
import { runExpiryJob } from '../../src/jobs/expiry-job.js';
import { DIALECTS } from '../support/merchant-harness.js';
import {
  type LinkedMerchant,
  merchantBrowser,
  type ProgramCredentials,
  platformForFile,
  posTerminal,
  recordingFetch,
  startLinkedMerchant,
  walletClient,
} from '../support/platform-process.js';

const platform = platformForFile();

describe.each(DIALECTS)('tiers, expiry and card messages through the real platform (%s)', (dialect) => {
  let linked: LinkedMerchant;
  let merchant: MerchantApp;
  let program: ProgramCredentials;
  /** The merchant's clock (the platform keeps its own): moved by the test. */
  let now = new Date();
  const sends: Array<{ messageId: string; status: number }> = [];
  const sdkFetch = recordingFetch('/v1/cards/messages', (body, res) => {
    sends.push({ messageId: String(body.messageId), status: res.status });
  });

  beforeAll(async () => {
    linked = await startLinkedMerchant(platform, dialect, {
      webhook: true,
      maxDelayMs: 500,
      app: { fetch: sdkFetch, now: () => now },
      config: {
        tiers: {
          windowMonths: 12,
          levels: [
            { name: 'Member', minSpend: 0 },
            { name: 'Silver', minSpend: 5000 },
          ],
        },
        points: { expiryMonths: 12, expiryNoticeDays: 14 },
      },
    });
    ({ merchant, program } = linked);
  }, 60_000);
  afterAll(async () => {
    await linked?.destroy();
  });

  it('a tier change and "points about to expire" reach the inbox once each; the card shows level and expiry', async () => {
    now = new Date(); // binding tokens are checked against the merchant's clock
    const wallet = walletClient(platform.url);
    await wallet.signIn(`tiers-${dialect}`);
    const browser = merchantBrowser(linked.url);
    await browser.get((await wallet.reserve(program.channelId)).info.redirectUrl);
    await browser.get('/mycard/bind/start');
    const login = `tiers-${dialect}@example.com`;
    const signup = await browser.post('/mycard/bind/signup', {
      displayName: 'Tia',
      login,
      password: 'tier-password',
    });
    expect(signup.status, signup.body.slice(0, 2000)).toBe(303);
    const token = defined(new URL(defined(signup.location)).searchParams.get('token'));
    expect((await wallet.complete(token, program.channelId, 'SUCCESS')).status).toBe(200);
    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', login)
      .executeTakeFirstOrThrow();
    // Messages go to active cards: the platform's card.completed webhook makes the link active.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const link = await merchant.context.db
        .selectFrom('wallet_links')
        .select('state')
        .where('member_id', '=', member.id)
        .executeTakeFirst();
      if (link?.state === 'active') break;
      if (Date.now() > deadline) throw new Error(`link is ${link?.state}, not active`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const pos = await posTerminal(linked.url, 'cashier', 'cashier-password');
    const code = member.membership_code;
    const card = async () =>
      (await wallet.cards()).info.cards.find((c: any) => c.channelId === program.channelId);
    const inbox = async () =>
      (
        (await wallet.inbox()).info.messages as Array<{ messageId: string; title: string; body: string }>
      ).filter((m) => m.messageId.startsWith('tier-') || m.messageId.startsWith('expiring-'));

    // A first sale at the lowest tier: no message. The second reaches Silver: one message.
    const first = await pos('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'M-1' });
    expect(first.status).toBe(201);
    now = new Date(now.getTime() + 3_600_000); // an hour later: its lot expires an hour after the first
    const second = await pos('accrue', { code, amount: 4000, currency: 'TWD', orderId: 'M-2' });
    expect(second.status).toBe(201);
    await merchant.worker.runOnce();
    await merchant.messages.runOnce();
    let messages = await inbox();
    expect(messages.map((m) => m.messageId)).toEqual([`tier-${second.body.entry.id}`]);
    expect(messages[0]?.title).toBe('Your tier has changed');
    expect(messages[0]?.body).toContain('Silver');
    expect((await card()).profile).toMatchObject({
      points: 50,
      level: 'Silver',
      pointsExpireAt: expect.any(String),
      expiringPoints: 10,
    });

    // 13 days before the first sale's lot expires the job queues one notice for it (and one for
    // the second sale's lot, expiring too within 14 days); a lost answer resends the same ids.
    now = new Date(Date.parse((await card()).profile.pointsExpireAt) - 13 * 86_400_000);
    const run = await runExpiryJob(merchant.context, { owner: 'e2e' });
    expect(run.noticesQueued).toBe(2);
    await merchant.messages.runOnce();
    await merchant.context.db.updateTable('message_outbox').set({ state: 'pending' }).execute();
    await merchant.messages.runOnce();
    await runExpiryJob(merchant.context, { owner: 'e2e', again: true }); // once per lot
    await merchant.messages.runOnce();
    messages = await inbox();
    expect(messages.map((m) => m.messageId).sort()).toEqual(
      [
        `tier-${second.body.entry.id}`,
        `expiring-${first.body.entry.id}`,
        `expiring-${second.body.entry.id}`,
      ].sort(),
    );
    expect(messages.find((m) => m.messageId === `expiring-${first.body.entry.id}`)?.body).toContain(
      '10 of your',
    );
    // The notice was sent twice (the retry after the "lost" answer), accepted both times as one
    // message; the tier message too.
    expect(sends.filter((s) => s.messageId === `expiring-${first.body.entry.id}`)).toEqual([
      { messageId: `expiring-${first.body.entry.id}`, status: 200 },
      { messageId: `expiring-${first.body.entry.id}`, status: 200 },
    ]);
    expect(sends.filter((s) => s.messageId.startsWith('tier-'))).toEqual([
      { messageId: `tier-${second.body.entry.id}`, status: 200 },
      { messageId: `tier-${second.body.entry.id}`, status: 200 },
    ]);

    // Past both expiries: the job expires them, the card shows 0 points and no expiry.
    now = new Date(Date.parse((await card()).profile.pointsExpireAt) + 40 * 86_400_000);
    const expiry = await runExpiryJob(merchant.context, { owner: 'e2e' });
    expect(expiry).toMatchObject({ ran: true, expiredLots: 2, expiredPoints: 50 });
    await merchant.worker.runOnce();
    const after = (await card()).profile;
    expect(after.points).toBe(0);
    expect(after.pointsExpireAt).toBeUndefined();
    expect(after.expiringPoints).toBeUndefined();
  });
});
