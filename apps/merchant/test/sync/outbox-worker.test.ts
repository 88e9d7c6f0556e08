import { MyCardApiError, MyCardNetworkError } from '@mycard/merchant';
import type { CardProfileUpdate } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import type { MerchantApp } from '../../src/app.js';
import { beginLink, setLinkState } from '../../src/links/begin-link.js';
import type { PlatformPort } from '../../src/platform/platform-port.js';
import {
  addMember,
  buildMerchant,
  createTestStore,
  DIALECTS,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

/** A platform stand-in that records profile updates and can be switched off. */
function fakePlatform() {
  const received: Array<{ bindingId: string; profile: CardProfileUpdate }> = [];
  const stored = new Map<string, number>();
  const state = { down: false, activeBindings: new Set<string>() };
  const port: PlatformPort = {
    channelId: '1234567890',
    verifyBindingRequest: async () => {
      throw new Error('unused');
    },
    getBinding: async () => {
      throw new Error('unused');
    },
    apply: async () => {
      throw new Error('unused');
    },
    unbind: async () => undefined,
    sendMessage: async () => {
      throw new Error('unused');
    },
    resolveOneTimeKey: async () => {
      throw new Error('unused');
    },
    verifyWebhook: async () => {
      throw new Error('unused');
    },
    updateProfile: async (bindingId, profile) => {
      if (state.down) throw new MyCardNetworkError('network_error', 'connection refused');
      if (!state.activeBindings.has(bindingId)) throw new MyCardApiError({ returnCode: '3003', status: 404 });
      if ((stored.get(bindingId) ?? -1) >= profile.version)
        throw new MyCardApiError({ returnCode: '3008', status: 409 });
      stored.set(bindingId, profile.version);
      received.push({ bindingId, profile });
    },
  };
  return { port, received, state };
}

describe.each(DIALECTS)('profile outbox worker (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  const platform = fakePlatform();

  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(
      store,
      { platform: platform.port },
      { sync: { baseDelayMs: 1, maxDelayMs: 5 } },
    );
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('survives an outage and a restart, delivering the final balance with growing versions', async () => {
    const pos = await posClient(merchant);
    const member = await addMember(merchant, 'sync@example.com');
    const bindingId = 'b_outbox_test_binding_0001';
    await beginLink(merchant.context, member, { bindingId, subject: 'sub' });
    await setLinkState(merchant.context, bindingId, 'applied');

    // Applied but not yet confirmed in the wallet: the platform refuses (3003), the row waits.
    await pos.post('accrue', { code: member.membership_code, amount: 100, currency: 'TWD', orderId: 'O-0' });
    await merchant.worker.runOnce();
    expect(platform.received).toHaveLength(0);
    platform.state.activeBindings.add(bindingId);
    await new Promise((r) => setTimeout(r, 20));
    await merchant.worker.runOnce();
    expect(platform.received).toHaveLength(1);
    expect(platform.received.at(-1)?.profile).toEqual({
      points: 1,
      version: expect.any(Number),
      pointsExpireAt: expect.any(String),
      expiringPoints: 1,
    });

    platform.state.down = true;
    for (let i = 1; i <= 50; i++) {
      await pos.post('accrue', {
        code: member.membership_code,
        amount: 100 * i,
        currency: 'TWD',
        orderId: `O-${i}`,
      });
      if (i % 10 === 0) await merchant.worker.runOnce();
    }
    expect(platform.received).toHaveLength(1);

    // Restart the merchant on the same database while the platform is still down.
    await merchant.close();
    merchant = await buildMerchant(
      store,
      { platform: platform.port },
      { sync: { baseDelayMs: 1, maxDelayMs: 5 } },
    );
    platform.state.down = false;
    await new Promise((r) => setTimeout(r, 20));
    await merchant.worker.runOnce();

    const expected = 1 + (50 * 51) / 2;
    const last = defined(platform.received.at(-1));
    expect(last.profile.points).toBe(expected);
    const versions = platform.received.map((r) => r.profile.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    const balance = await merchant.context.db
      .selectFrom('balances')
      .select(['points', 'version'])
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(last.profile).toMatchObject({ points: balance.points, version: balance.version });
    expect(last.profile.expiringPoints).toBeGreaterThan(0);
    const pending = await merchant.context.db
      .selectFrom('profile_outbox')
      .select('id')
      .where('state', '=', 'pending')
      .execute();
    expect(pending).toHaveLength(0);
  });
});
