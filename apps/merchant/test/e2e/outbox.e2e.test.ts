import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
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

describe.each(DIALECTS)('wallet sync survives a platform outage and a merchant restart (%s)', (dialect) => {
  let linked: LinkedMerchant;
  let merchant: MerchantApp;
  let program: ProgramCredentials;
  let merchantUrl: string;
  /** Every profile update the SDK sent, with the platform's answer. */
  const sent: Array<{ version: number; points: number; status: number }> = [];
  const sdkFetch = recordingFetch('/v1/cards/profile', (body, res) => {
    const profile = body.profile as { version: number; points: number };
    sent.push({ version: profile.version, points: profile.points, status: res.status });
  });

  beforeAll(async () => {
    linked = await startLinkedMerchant(platform, dialect, {
      maxDelayMs: 500,
      app: { fetch: sdkFetch },
    });
    ({ merchant, program, url: merchantUrl } = linked);
  }, 60_000);
  afterAll(async () => {
    await linked?.destroy();
  });

  it('stop the platform, 50 balance changes, restart both → the wallet shows the final balance, versions in order', async () => {
    // Bind a member's card.
    const wallet = walletClient(platform.url);
    await wallet.signIn(`sync-${dialect}`);
    const browser = merchantBrowser(merchantUrl);
    await browser.get((await wallet.reserve(program.channelId)).info.redirectUrl);
    await browser.get('/mycard/bind/start');
    const signup = await browser.post('/mycard/bind/signup', {
      displayName: 'Sync',
      login: `sync-${dialect}@example.com`,
      password: 'sync-password',
    });
    expect(signup.status, signup.body.slice(0, 2000)).toBe(303);
    const token = defined(new URL(defined(signup.location)).searchParams.get('token'));
    const completed = await wallet.complete(token, program.channelId, 'SUCCESS');
    expect(completed.status, JSON.stringify(completed)).toBe(200);
    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', `sync-${dialect}@example.com`)
      .executeTakeFirstOrThrow();
    const pos = await posTerminal(merchantUrl, 'cashier', 'cashier-password');

    await platform.stop();
    // Whatever happens below, the next suite of this file needs the platform back.
    onTestFinished(() => platform.start().catch(() => undefined));
    let expected = 0;
    for (let i = 1; i <= 50; i++) {
      if (i % 5 === 0) {
        const r = await pos('redeem', { code: member.membership_code, points: 3, orderId: `S-${i}` });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        expected -= 3;
      } else {
        const r = await pos('accrue', {
          code: member.membership_code,
          amount: 100 * i,
          currency: 'TWD',
          orderId: `S-${i}`,
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        expected += i;
      }
    }
    await new Promise((r) => setTimeout(r, 500)); // the worker tries, fails, backs off

    // The merchant restarts while the platform is still down; then the platform comes back.
    merchant = await linked.restart();
    await platform.start();

    const balance = await merchant.context.db
      .selectFrom('balances')
      .selectAll()
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(balance.points).toBe(expected);
    const deadline = Date.now() + 20_000;
    let card: any;
    while (Date.now() < deadline) {
      card = (await wallet.cards()).info.cards.find((c: any) => c.channelId === program.channelId);
      if (card?.profile?.points === expected) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(card.profile).toMatchObject({ points: expected, version: balance.version });

    const delivered = sent.filter((s) => s.status === 200).map((s) => s.version);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
    expect(new Set(delivered).size).toBe(delivered.length);
    // The wallet can show the final balance a moment before the worker has settled its outbox rows
    // (it settles after the platform's answer): the outbox drains, every row delivered or superseded.
    const pendingRows = () =>
      merchant.context.db.selectFrom('profile_outbox').select('id').where('state', '=', 'pending').execute();
    const drainBy = Date.now() + 10_000;
    let pending = await pendingRows();
    while (pending.length > 0 && Date.now() < drainBy) {
      await new Promise((r) => setTimeout(r, 100));
      pending = await pendingRows();
    }
    expect(pending).toHaveLength(0);
  });
});
