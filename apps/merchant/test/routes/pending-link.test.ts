import { generateTestSignatureHeaders } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantApp } from '../../src/app.js';
import { beginLink, setLinkState } from '../../src/links/begin-link.js';
import { injectBrowser } from '../support/browser.js';
import {
  CHANNEL_ID,
  CHANNEL_SECRET,
  createFakePlatform,
  envelope,
  failure,
} from '../support/fake-platform.js';
import { buildMerchant, createTestStore, DIALECTS, type TestStore } from '../support/merchant-harness.js';

describe.each(DIALECTS)('a link that never became a card (issue 11 item 10) on %s', (dialect) => {
  let store: TestStore;
  let merchant: MerchantApp;
  let platform: Awaited<ReturnType<typeof createFakePlatform>>;
  let n = 0;

  beforeAll(async () => {
    platform = await createFakePlatform();
    store = createTestStore(dialect, platform.config);
    merchant = await buildMerchant(store, { fetch: platform.fetch });
  });
  afterAll(async () => {
    await merchant?.close();
    await store?.destroy();
  });

  /** A signed-in member whose link waits for the wallet (Apply done, wallet not confirmed). */
  async function pendingMember() {
    const browser = injectBrowser(merchant.app);
    await browser.get('/signup');
    const login = `pending-${n++}-${dialect}@example.com`;
    await browser.post('/signup', { displayName: 'Ivy', login, password: 'password-ivy' });
    const member = await merchant.context.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', login)
      .executeTakeFirstOrThrow();
    const bindingId = `bnd_pending_${dialect}_${n}_00000000000`;
    await beginLink(merchant.context, member, { bindingId, subject: 's' });
    await setLinkState(merchant.context, bindingId, 'applied');
    return { browser, member, bindingId };
  }
  const linkState = async (bindingId: string) =>
    (
      await merchant.context.db
        .selectFrom('wallet_links')
        .select('state')
        .where('binding_id', '=', bindingId)
        .executeTakeFirstOrThrow()
    ).state;

  it('shows the true state from GET /v1/bindings/{id}: cancelled, with an offer to add the card again', async () => {
    const { browser, bindingId } = await pendingMember();
    platform.on(`/v1/bindings/${bindingId}`, () =>
      envelope({ bindingId, state: 'APPLIED', updatedAt: new Date().toISOString() }),
    );
    expect((await browser.get('/member')).body).toContain('Your card is being added');
    // The member said "Don't add" in the wallet: the platform says CANCELLED.
    platform.on(`/v1/bindings/${bindingId}`, () =>
      envelope({ bindingId, state: 'CANCELLED', updatedAt: new Date().toISOString() }),
    );
    const page = await browser.get('/member');
    expect(page.body).not.toContain('Your card is being added');
    expect(page.body).toContain('Adding the card to My Card was cancelled.');
    expect(page.body).toContain(`href="http://platform.test/wallet/add/${CHANNEL_ID}"`);
    expect(await linkState(bindingId)).toBe('cancelled');
    // Nothing to remove any more, and no Remove button that would fail.
    expect(page.body).not.toContain('action="/member/unbind"');
  });

  it('records binding.cancelled / binding.expired webhooks once, ending only a pending link', async () => {
    const { bindingId } = await pendingMember();
    const send = async (type: string, id: string, data: Record<string, unknown>) => {
      const body = JSON.stringify({
        id,
        type,
        createdAt: new Date().toISOString(),
        channelId: CHANNEL_ID,
        data,
      });
      const headers = await generateTestSignatureHeaders({
        channelId: CHANNEL_ID,
        channelSecret: CHANNEL_SECRET,
        path: '/mycard/webhook',
        body,
      });
      return merchant.app.inject({
        method: 'POST',
        url: '/mycard/webhook',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: body,
      });
    };
    expect(
      (await send('binding.expired', `evt_x_${dialect}`, { bindingId, reason: 'completion_expired' }))
        .statusCode,
    ).toBe(200);
    expect(await linkState(bindingId)).toBe('expired');
    // An active card is not ended by a (late, out of order) binding event.
    const active = await pendingMember();
    await setLinkState(merchant.context, active.bindingId, 'active');
    await send('binding.cancelled', `evt_y_${dialect}`, {
      bindingId: active.bindingId,
      reason: 'wallet_cancel',
    });
    expect(await linkState(active.bindingId)).toBe('active');
  });

  it("lets Remove succeed when the platform's 3003 means the binding was cancelled", async () => {
    const { browser, bindingId } = await pendingMember();
    platform.on('/v1/cards/unbind', () => failure('3003', 404));
    platform.on(`/v1/bindings/${bindingId}`, () =>
      envelope({ bindingId, state: 'APPLIED', updatedAt: new Date().toISOString() }),
    );
    await browser.get('/member');
    // Still pending on the platform: Remove fails honestly.
    const pending = await browser.post('/member/unbind', {});
    expect(pending.headers.location).toBe('/member?error=unbind');
    platform.on(`/v1/bindings/${bindingId}`, () =>
      envelope({ bindingId, state: 'CANCELLED', updatedAt: new Date().toISOString() }),
    );
    await browser.get('/login');
    const res = await browser.post('/member/unbind', {});
    expect(res.headers.location).toBe('/member?notice=unbound');
    expect(await linkState(bindingId)).toBe('cancelled');
  });
});
