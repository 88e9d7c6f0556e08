import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { createOperator } from '../../src/members/operators.js';
import { createStores, type StoreCredentials } from '../../src/stores/stores.js';
import {
  addMember,
  balanceOf,
  buildMerchant,
  CookieJar,
  createTestStore,
  DIALECTS,
  type TestStore,
} from '../support/merchant-harness.js';

const PLATFORM = 'http://platform.test';
const STORES: StoreCredentials[] = [
  {
    storeId: 'pt_AAAAAAAAAAAAAAAA',
    name: 'Demo Bakery',
    channelId: '2000000001',
    channelSecret: 'b'.repeat(64),
  },
  {
    storeId: 'pt_BBBBBBBBBBBBBBBB',
    name: 'Demo Coffee',
    channelId: '2000000002',
    channelSecret: 'c'.repeat(64),
  },
];

/**
 * A group's shop (PROTOCOL.md §8): tills sign in to a store, entries record it, a My Code is
 * resolved through the till's store's own participant channel, and the member has one balance
 * across the stores. The platform is an HTTP stand-in given to the real SDK as its fetch, answering
 * `GET /v1/onetimekeys/{key}` and recording which channel signed each call.
 */
describe.each(DIALECTS)("a group's stores at the till (%s)", (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  const keyCalls: { channelId: string | null; path: string }[] = [];
  const keys = new Map<string, string>();

  const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = new Headers(init?.headers);
    keyCalls.push({ channelId: headers.get('x-line-channelid'), path: url.pathname });
    const code = keys.get(url.pathname.split('/').pop() ?? '');
    if (!code) return Response.json({ returnCode: '3010', returnMessage: 'x' }, { status: 404 });
    return Response.json({
      returnCode: '0000',
      returnMessage: 'Success.',
      info: {
        bindingId: 'b'.repeat(22),
        membershipCode: code,
        resolvedAt: new Date().toISOString(),
        programChannelId: '1000000000',
      },
    });
  }) as typeof fetch;

  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(store, {
      stores: createStores(STORES, { platformUrl: PLATFORM, fetch: fetchStub }),
      fetch: fetchStub,
    });
    await createOperator(
      merchant.context.db,
      { username: 'till', password: 'operator-password', displayName: 'Till' },
      new Date(),
    );
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  async function signIn(body: Record<string, unknown>) {
    return merchant.app.inject({
      method: 'POST',
      url: '/api/pos/session',
      payload: { username: 'till', password: 'operator-password', ...body },
    });
  }

  async function till(storeId: string) {
    const login = await signIn({ storeId });
    expect(login.statusCode).toBe(200);
    expect(login.json().store).toEqual({ storeId, name: STORES.find((s) => s.storeId === storeId)?.name });
    const jar = new CookieJar();
    jar.store(login.headers['set-cookie']);
    const csrf = login.json().csrfToken as string;
    return async (path: string, body: unknown) => {
      const res = await merchant.app.inject({
        method: 'POST',
        url: `/api/pos/${path}`,
        headers: { cookie: jar.header(), 'x-csrf-token': csrf, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      return { status: res.statusCode, body: res.json() };
    };
  }

  async function sessionCount(): Promise<number> {
    const row = await merchant.context.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('a till must sign in to one of the stores: none or an unknown one is store_invalid, no session', async () => {
    const before = await sessionCount();
    for (const body of [{}, { storeId: 'pt_CCCCCCCCCCCCCCCC' }, { storeId: '' }]) {
      const res = await signIn(body);
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'store_invalid']);
    }
    expect(await sessionCount()).toBe(before);
  });

  it('entries record the store; My Codes go through the store’s own channel; one balance across stores', async () => {
    const member = await addMember(merchant, 'group@example.com');
    const bakery = await till('pt_AAAAAAAAAAAAAAAA');
    const coffee = await till('pt_BBBBBBBBBBBBBBBB');
    const a = await bakery('accrue', {
      code: member.membership_code,
      amount: 1000,
      currency: 'TWD',
      orderId: 'G-1',
    });
    expect(a.status).toBe(201);
    expect(a.body.entry.storeId).toBe('pt_AAAAAAAAAAAAAAAA');
    keys.set('123456789012345678', member.membership_code);
    const b = await coffee('accrue', {
      code: '123456789012345678',
      amount: 500,
      currency: 'TWD',
      orderId: 'G-2',
    });
    expect(b.status).toBe(201);
    expect(b.body.entry.storeId).toBe('pt_BBBBBBBBBBBBBBBB');
    expect(b.body.balance).toBe(15);
    expect(keyCalls).toEqual([{ channelId: '2000000002', path: '/v1/onetimekeys/123456789012345678' }]);
    // Redeem at the bakery what was earned at both; a refund at the coffee shop records the coffee shop.
    const r = await bakery('redeem', { code: member.membership_code, points: 12, orderId: 'G-3' });
    expect([r.status, r.body.balance, r.body.entry.storeId]).toEqual([201, 3, 'pt_AAAAAAAAAAAAAAAA']);
    const f = await coffee('refund', { orderId: 'G-2', refundId: 'R-1', amount: 100 });
    expect([f.status, f.body.entry.storeId]).toEqual([201, 'pt_BBBBBBBBBBBBBBBB']);
    expect(await balanceOf(merchant, member.id)).toBe(2);
    const rows = await merchant.context.db
      .selectFrom('ledger_entries')
      .select(['order_id', 'kind', 'store_id'])
      .where('member_id', '=', member.id)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { order_id: 'G-1', kind: 'accrue', store_id: 'pt_AAAAAAAAAAAAAAAA' },
      { order_id: 'G-2', kind: 'accrue', store_id: 'pt_BBBBBBBBBBBBBBBB' },
      { order_id: 'G-3', kind: 'redeem', store_id: 'pt_AAAAAAAAAAAAAAAA' },
      { order_id: 'G-2', kind: 'reverse', store_id: 'pt_BBBBBBBBBBBBBBBB' },
    ]);
  });

  it('the till login offers the stores and the till page names the signed-in store', async () => {
    const login = await merchant.app.inject({ method: 'GET', url: '/pos' });
    expect(login.body).toContain('<select id="storeId" name="storeId" required>');
    for (const s of STORES) expect(login.body).toContain(`<option value="${s.storeId}">${s.name}</option>`);
    const res = await signIn({ storeId: 'pt_BBBBBBBBBBBBBBBB' });
    const page = await merchant.app.inject({
      method: 'GET',
      url: '/pos',
      headers: { cookie: res.headers['set-cookie']?.toString().split(';')[0] ?? '' },
    });
    expect(page.body).toContain('id="till-store">Store: Demo Coffee<');
  });
});

describe.each(DIALECTS)('a shop without stores (%s)', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  beforeAll(async () => {
    store = createTestStore(dialect);
    merchant = await buildMerchant(store);
    await createOperator(
      merchant.context.db,
      { username: 'till', password: 'operator-password', displayName: 'Till' },
      new Date(),
    );
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  it('refuses a store at sign-in and records none', async () => {
    const named = await merchant.app.inject({
      method: 'POST',
      url: '/api/pos/session',
      payload: { username: 'till', password: 'operator-password', storeId: 'pt_AAAAAAAAAAAAAAAA' },
    });
    expect([named.statusCode, named.json().error.code]).toEqual([400, 'store_invalid']);
    const login = await merchant.app.inject({
      method: 'POST',
      url: '/api/pos/session',
      payload: { username: 'till', password: 'operator-password' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).not.toHaveProperty('store');
    const page = await merchant.app.inject({ method: 'GET', url: '/pos' });
    expect(page.body).not.toContain('storeId');
  });
});
