import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/free-port.js';
import { openDatabase } from '../../src/db/database.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/merchant-harness.js';
import { type MerchantProcess, merchantProcess } from '../support/merchant-process.js';
import {
  linkNewMember,
  type PlatformProcess,
  posTerminal,
  spawnPlatform,
} from '../support/platform-process.js';
import { startPlatformProxy } from '../support/platform-proxy.js';

/**
 * Issue 9.7 with real processes: the merchant is killed (SIGKILL) after the platform resolved the
 * wallet's one-time key and before the ledger commit — the till never got an answer. The till
 * retries with the same order id and the same My Code: the platform answers the key again for the
 * same channel (PROTOCOL.md §6), and the ledger records the accrual exactly once.
 */
let platform: PlatformProcess;
let proxy: Awaited<ReturnType<typeof startPlatformProxy>>;
beforeAll(async () => {
  platform = await spawnPlatform();
  proxy = await startPlatformProxy(platform.url);
}, 90_000);
afterAll(async () => {
  await proxy?.close();
  await platform?.destroy();
});

describe.each(DIALECTS)('kill -9 between key resolution and ledger commit (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantProcess;
  let channelId: string;

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const program = await platform.createProgram({
      name: `Crash Mart ${dialect}`,
      bindingUrl: `${url}/mycard/bind`,
    });
    channelId = program.channelId;
    store = createTestStore(dialect, {
      port,
      publicUrl: url,
      platformUrl: proxy.url,
      issuer: platform.url,
      channelId: program.channelId,
      channelSecret: program.channelSecret,
      logLevel: 'warn',
      sync: { pollMs: 100, baseDelayMs: 100, maxDelayMs: 500 },
    });
    merchant = merchantProcess(store.config);
    await merchant.start();
  }, 120_000);
  afterAll(async () => {
    await merchant?.stop();
    await store?.destroy();
  });

  it('the retry with the same order id accrues once; the lost attempt left nothing', async () => {
    const { wallet } = await linkNewMember(platform.url, merchant.url, channelId, `crash-${dialect}`);
    const key = (await wallet.myCode()).info.oneTimeKey as string;
    expect(key).toMatch(/^\d{18}$/);
    let pos = await posTerminal(merchant.url, 'cashier', 'cashier-password');

    // The platform answers the key lookup; before the merchant reads the answer, it is killed.
    let killedAt: string | undefined;
    proxy.state.onAnswer = async (call) => {
      if (call.method !== 'GET' || !call.path.startsWith('/v1/onetimekeys/') || call.status !== 200) return;
      killedAt = call.path;
      await merchant.kill();
      return 'drop';
    };
    const sale = { code: key, amount: 1000, currency: 'TWD', orderId: `CRASH-${dialect}` };
    await expect(pos('accrue', sale)).rejects.toThrow();
    proxy.state.onAnswer = undefined;
    expect(killedAt).toBe(`/v1/onetimekeys/${key}`);

    // Nothing was written: the crash came before the ledger's transaction.
    const read = openDatabase({
      databaseUrl: store.config.databaseUrl ?? '',
      dataDir: store.dataDir,
      ...(store.config.databaseSchema ? { schema: store.config.databaseSchema } : {}),
    });
    const entriesOf = () =>
      read.db
        .selectFrom('ledger_entries')
        .select(['id', 'points', 'order_id'])
        .where('order_id', '=', sale.orderId)
        .execute();
    try {
      expect(await entriesOf()).toEqual([]);

      // The till retries (a new session: the process it signed in to is gone) on the restarted merchant.
      await merchant.start();
      pos = await posTerminal(merchant.url, 'cashier', 'cashier-password');
      const retried = await pos('accrue', sale);
      expect(retried.status, JSON.stringify(retried.body)).toBe(201);
      expect(retried.body.entry.points).toBe(10);
      // A second retry (the till lost that answer too) is the same result, not a second accrual.
      const again = await pos('accrue', sale);
      expect(again.body).toEqual(retried.body);
      const entries = await entriesOf();
      expect(entries).toHaveLength(1);
      expect(entries[0]?.points).toBe(10);

      // The same key for another order is still refused: it is spent at this shop.
      const other = await pos('accrue', { ...sale, orderId: `${sale.orderId}-other` });
      expect(other.status).toBe(404);
      expect(other.body.error.code).toBe('one_time_key_invalid');

      // And the wallet shows the single accrual.
      const deadline = Date.now() + 20_000;
      let points: number | undefined;
      while (Date.now() < deadline) {
        const card = (await wallet.cards()).info.cards.find(
          (c: { channelId: string }) => c.channelId === channelId,
        );
        points = card?.profile?.points;
        if (points === 10) break;
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(points).toBe(10);
    } finally {
      await read.close();
    }
  });
});
