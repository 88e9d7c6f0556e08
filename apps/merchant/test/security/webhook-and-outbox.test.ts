import { generateTestSignatureHeaders, MyCardApiError } from '@mycard/merchant';
import type { CardProfileUpdate } from '@mycard/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { beginLink, setLinkState } from '../../src/links/begin-link.js';
import type { PlatformPort } from '../../src/platform/platform-port.js';
import { CHANNEL_ID, CHANNEL_SECRET, createFakePlatform } from '../support/fake-platform.js';
import {
  addMember,
  buildMerchant,
  createTestStore,
  DIALECTS,
  posClient,
  type TestStore,
} from '../support/merchant-harness.js';

describe.each(DIALECTS)('webhook endpoint under attack (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;

  beforeAll(async () => {
    const platform = await createFakePlatform();
    store = createTestStore(dialect, platform.config);
    merchant = await buildMerchant(store, { fetch: platform.fetch });
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  const linkState = async (bindingId: string) =>
    (
      await merchant.context.db
        .selectFrom('wallet_links')
        .select('state')
        .where('binding_id', '=', bindingId)
        .executeTakeFirstOrThrow()
    ).state;
  const eventCount = async () =>
    Number(
      (
        await merchant.context.db
          .selectFrom('webhook_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const post = (body: string, headers: Record<string, string>) =>
    merchant.app.inject({
      method: 'POST',
      url: '/mycard/webhook',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    });
  const signed = (body: string, secret = CHANNEL_SECRET) =>
    generateTestSignatureHeaders({
      channelId: CHANNEL_ID,
      channelSecret: secret,
      path: '/mycard/webhook',
      body,
    });
  const unbound = (id: string, bindingId: string) =>
    JSON.stringify({
      id,
      type: 'card.unbound',
      createdAt: new Date().toISOString(),
      channelId: CHANNEL_ID,
      data: { bindingId, reason: 'user' },
    });

  async function activeLink(name: string) {
    const member = await addMember(merchant, `${name}-${dialect}@example.com`);
    const bindingId = `bnd_${name}_${dialect}_000000000000`;
    await beginLink(merchant.context, member, { bindingId, subject: 's' });
    await setLinkState(merchant.context, bindingId, 'active');
    return bindingId;
  }

  it('refuses unsigned, forged and oversized events; a replayed delivery changes nothing twice', async () => {
    const bindingId = await activeLink('hooks');
    const body = unbound(`evt_hooks_${dialect}`, bindingId);
    expect((await post(body, {})).statusCode).toBe(401);
    expect((await post(body, await signed(body, 'b'.repeat(64)))).statusCode).toBe(401);
    const headers = await signed(body);
    // Signed for another body: the event is not what was signed.
    const tampered = body.replace('"user"', '"attacker"');
    expect((await post(tampered, headers)).statusCode).toBe(401);
    const huge = JSON.stringify({ ...JSON.parse(body), pad: 'x'.repeat(70 * 1024) });
    expect((await post(huge, await signed(huge))).statusCode).toBe(413);
    expect(await eventCount()).toBe(0);
    expect(await linkState(bindingId)).toBe('active');

    expect((await post(body, headers)).statusCode).toBe(200);
    expect((await post(body, headers)).statusCode).toBe(200); // the very same delivery again
    expect(await eventCount()).toBe(1);
    expect(await linkState(bindingId)).toBe('unbound');
  });

  it('an event whose effect failed is applied when the platform retries it (not dropped as a duplicate)', async () => {
    const bindingId = await activeLink('atomic');
    const { db } = merchant.context;
    if (dialect === 'sqlite') {
      await sql`create trigger wl_fail before update on wallet_links begin select raise(abort, 'boom'); end`.execute(
        db,
      );
    } else {
      await sql`create function wl_fail() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`.execute(
        db,
      );
      await sql`create trigger wl_fail before update on wallet_links for each row execute function wl_fail()`.execute(
        db,
      );
    }
    const body = unbound(`evt_atomic_${dialect}`, bindingId);
    const first = await post(body, await signed(body));
    expect(first.statusCode).toBe(500);
    if (dialect === 'sqlite') await sql`drop trigger wl_fail`.execute(db);
    else {
      await sql`drop trigger wl_fail on wallet_links`.execute(db);
      await sql`drop function wl_fail()`.execute(db);
    }
    const retry = await post(body, await signed(body));
    expect(retry.statusCode).toBe(200);
    expect(await linkState(bindingId)).toBe('unbound');
  });
});

describe.each(DIALECTS)('outbox: a poison binding does not hold up the others (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  const received: Array<{ bindingId: string; profile: CardProfileUpdate }> = [];
  const poison = new Map<string, string>();
  let clock = 0;

  const unused = async (): Promise<never> => {
    throw new Error('unused');
  };
  const port: PlatformPort = {
    channelId: CHANNEL_ID,
    verifyBindingRequest: unused,
    getBinding: unused,
    apply: unused,
    unbind: async () => undefined,
    sendMessage: unused,
    resolveOneTimeKey: unused,
    verifyWebhook: unused,
    updateProfile: async (bindingId, profile) => {
      const code = poison.get(bindingId);
      if (code) throw new MyCardApiError({ returnCode: code, status: code === '2101' ? 400 : 404 });
      received.push({ bindingId, profile });
    },
  };

  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(
      store,
      { platform: port, now: () => new Date(Date.now() + clock) },
      { sync: { baseDelayMs: 1, maxDelayMs: 5 } },
    );
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('delivers the healthy card in order while 2101 and 3003 answers keep failing for others', async () => {
    const pos = await posClient(merchant);
    const link = async (name: string) => {
      const member = await addMember(merchant, `${name}-${dialect}@example.com`);
      const bindingId = `bnd_${name}_${dialect}_0000000000000`;
      await beginLink(merchant.context, member, { bindingId, subject: 's' });
      await setLinkState(merchant.context, bindingId, 'active');
      return { member, bindingId };
    };
    const bad = await link('bad');
    const stuck = await link('stuck');
    const good = await link('good');
    poison.set(bad.bindingId, '2101');
    poison.set(stuck.bindingId, '3003');

    for (let i = 0; i < 10; i++) {
      for (const m of [bad, stuck, good]) {
        const res = await pos.post('accrue', {
          code: m.member.membership_code,
          amount: 100 * (i + 1),
          currency: 'TWD',
          orderId: `${m.bindingId.slice(4, 9)}-${i}`,
        });
        expect(res.status).toBe(201);
      }
      await merchant.worker.runOnce();
    }
    await new Promise((r) => setTimeout(r, 20));
    await merchant.worker.runOnce();

    const goodVersions = received.filter((r) => r.bindingId === good.bindingId).map((r) => r.profile.version);
    expect(goodVersions.length).toBeGreaterThan(0);
    expect(goodVersions).toEqual([...goodVersions].sort((a, b) => a - b));
    expect(new Set(goodVersions).size).toBe(goodVersions.length);
    expect(received.at(-1)).toMatchObject({ bindingId: good.bindingId, profile: { points: 55 } });

    const { db } = merchant.context;
    const rows = async (bindingId: string) =>
      db.selectFrom('profile_outbox').select(['state']).where('binding_id', '=', bindingId).execute();
    expect((await rows(bad.bindingId)).every((r) => r.state !== 'pending')).toBe(true);
    // 3003 while the link is young is retried; 30 minutes on it is given up, never blocking.
    expect((await rows(stuck.bindingId)).some((r) => r.state === 'pending')).toBe(true);
    clock = 31 * 60 * 1000;
    await merchant.worker.runOnce();
    expect((await rows(stuck.bindingId)).every((r) => r.state !== 'pending')).toBe(true);
    expect((await rows(good.bindingId)).every((r) => r.state !== 'pending')).toBe(true);
  });
});
