import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { type ConsoleOperator, call, IMAGES, signUp } from '../console/console-client.js';
import { adminDump, programOf, signUpAdmin } from '../helpers/admin.js';
import { addCard } from '../helpers/cards.js';
import {
  code,
  type HttpPlatform,
  merchantClient,
  startHttpPlatform,
  type WalletClient,
} from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

const START = '2026-12-01T00:00:00.000Z';
const END = '2026-12-08T00:00:00.000Z';
const DURING = new Date('2026-12-03T12:00:00.000Z');
const BEFORE = new Date('2026-11-30T23:59:59.000Z');

type Creds = { channelId: string; channelSecret: string };

/** Campaign bundles (PROTOCOL.md §9): console, invitations, wallet view, dates, reservations, figures. */
describe.each(DIALECTS)('campaign bundles on %s', (dialect) => {
  const clock = createClock(DURING);
  let platform: HttpPlatform;
  let admin: ConsoleOperator;
  let owner: ConsoleOperator;
  let stranger: ConsoleOperator;
  const shops: Creds[] = [];
  let userSeq = 0;

  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, {}, { now: clock.now });
    admin = await signUpAdmin(platform, 'admin@mycard.example');
    owner = await signUp(platform, 'owner@shops.example');
    stranger = await signUp(platform, 'stranger@other.example');
    for (const name of ['Demo Mart', 'Noodle Bar', 'Tea House']) {
      shops.push(
        await programOf(platform, owner, {
          name,
          status: 'LIVE',
          bindingUrl: `https://${name.replace(' ', '').toLowerCase()}.example/bind`,
        }),
      );
    }
  });
  afterAll(async () => {
    await platform?.close();
  });

  const at = (d: Date) => clock.set(d);
  const wallet = (name = 'u'): Promise<WalletClient> => platform.wallet(`${name}-${++userSeq}`);

  async function newBundle(channelIds: string[], body: Record<string, unknown> = {}) {
    const res = await call(platform, admin, 'POST', '/admin/bundles', {
      name: 'Night market',
      description: '3 shops, double points this week',
      startsAt: START,
      endsAt: END,
      channelIds,
      ...body,
    });
    expect([res.statusCode, res.json().returnCode], res.body).toEqual([201, '0000']);
    return res.json().info.bundle as { bundleId: string; walletUrl: string; programs: { state: string }[] };
  }
  async function accept(bundleId: string, channelId: string, op = owner) {
    return call(platform, op, 'POST', `/programs/${channelId}/bundles/${bundleId}/accept`, {});
  }
  async function joinedBundle(creds: Creds[]) {
    const bundle = await newBundle(creds.map((c) => c.channelId));
    for (const c of creds) expect((await accept(bundle.bundleId, c.channelId)).statusCode).toBe(200);
    return bundle.bundleId;
  }

  it('an administrator creates a bundle: programs invited, wallet link given; bad input refused, nothing stored', async () => {
    at(DURING);
    const before = await adminDump(platform);
    const bad: [Record<string, unknown>, number, string][] = [
      [{ channelIds: [defined(shops[0]).channelId] }, 400, '2101'],
      [{ channelIds: Array.from({ length: 21 }, (_, i) => String(1000000000 + i)) }, 400, '2101'],
      [{ channelIds: [defined(shops[0]).channelId, defined(shops[0]).channelId] }, 400, '2101'],
      [{ endsAt: START }, 400, '2101'],
      [{ startsAt: 'next week' }, 400, '2101'],
      [{ name: '' }, 400, '2101'],
      [{ channelIds: [defined(shops[0]).channelId, '9999999999'] }, 404, '4004'],
    ];
    for (const [body, status, rc] of bad) {
      const res = await call(platform, admin, 'POST', '/admin/bundles', {
        name: 'x',
        startsAt: START,
        endsAt: END,
        channelIds: shops.map((s) => s.channelId),
        ...body,
      });
      expect([JSON.stringify(body), res.statusCode, res.json().returnCode]).toEqual([
        JSON.stringify(body),
        status,
        rc,
      ]);
    }
    expect(await adminDump(platform)).toBe(before);

    const bundle = await newBundle(shops.map((s) => s.channelId));
    expect(bundle.bundleId).toMatch(/^bd_[A-Za-z0-9_-]{16}$/);
    expect(bundle.walletUrl).toBe(`${platform.url}/wallet/bundles/${bundle.bundleId}`);
    expect(bundle.programs.map((p) => p.state)).toEqual(['INVITED', 'INVITED', 'INVITED']);
    const list = await call(platform, admin, 'GET', '/admin/bundles');
    expect(list.json().info.bundles.map((b: { bundleId: string }) => b.bundleId)).toContain(bundle.bundleId);
    const audit = await call(
      platform,
      admin,
      'GET',
      `/admin/audit?targetType=bundle&targetId=${bundle.bundleId}`,
    );
    expect(audit.json().info.entries.map((e: { action: string }) => e.action)).toEqual(['bundle.created']);
  });

  it('a program joins only when its organization accepts, and may leave; another organization cannot decide (4003, nothing changed)', async () => {
    at(DURING);
    const [a, b] = [defined(shops[0]), defined(shops[1])];
    const { bundleId } = await newBundle([a.channelId, b.channelId]);
    const u = await wallet();
    // Invited is not joined: the wallet sees nothing yet.
    expect((await u.get(`/v1/bundles/${bundleId}`)).status).toBe(404);

    const before = await adminDump(platform);
    const foreign = await accept(bundleId, a.channelId, stranger);
    expect([foreign.statusCode, foreign.json().returnCode]).toEqual([403, '4003']);
    const viaAdmin = await accept(bundleId, a.channelId, admin);
    expect([viaAdmin.statusCode, viaAdmin.json().returnCode]).toEqual([403, '4003']);
    expect(await adminDump(platform)).toBe(before);

    const joined = await accept(bundleId, a.channelId);
    expect(joined.json().info).toEqual({ bundleId, channelId: a.channelId, state: 'JOINED' });
    expect((await accept(bundleId, a.channelId)).json().info.state).toBe('JOINED');
    const view = await u.get(`/v1/bundles/${bundleId}`);
    expect(view.status).toBe(200);
    expect(view.body.info.bundle.programs.map((p: { channelId: string }) => p.channelId)).toEqual([
      a.channelId,
    ]);

    const invitations = (await call(platform, owner, 'GET', '/bundles')).json().info.invitations as {
      bundleId: string;
      channelId: string;
      state: string;
      canDecide: boolean;
    }[];
    expect(
      invitations
        .filter((i) => i.bundleId === bundleId)
        .map((i) => [i.channelId, i.state, i.canDecide])
        .sort(),
    ).toEqual(
      [
        [a.channelId, 'JOINED', true],
        [b.channelId, 'INVITED', true],
      ].sort(),
    );
    expect((await call(platform, stranger, 'GET', '/bundles')).json().info.invitations).toEqual([]);

    const left = await call(
      platform,
      owner,
      'POST',
      `/programs/${a.channelId}/bundles/${bundleId}/leave`,
      {},
    );
    expect(left.json().info.state).toBe('LEFT');
    expect((await u.get(`/v1/bundles/${bundleId}`)).status).toBe(404);
    // Back in only through a new invitation.
    const again = await accept(bundleId, a.channelId);
    expect([again.statusCode, again.json().returnCode]).toEqual([409, '3004']);
    const reinvite = await call(platform, admin, 'PUT', `/admin/bundles/${bundleId}/programs`, {
      channelIds: [b.channelId, a.channelId],
    });
    expect(reinvite.json().info.bundle.programs.map((p: { state: string }) => p.state)).toEqual([
      'INVITED',
      'INVITED',
    ]);
    expect((await accept(bundleId, a.channelId)).json().info.state).toBe('JOINED');
    // A program never invited: 4004.
    const other = await accept(bundleId, defined(shops[2]).channelId);
    expect([other.statusCode, other.json().returnCode]).toEqual([404, '4004']);
  });

  it('is 4004 outside its dates (clock moved), and shows held cards as held inside them', async () => {
    const [a, b] = [defined(shops[0]), defined(shops[1])];
    at(DURING);
    const bundleId = await joinedBundle([a, b]);
    const u = await wallet();
    await addCard(platform, u, a, code(101));
    const view = await u.get(`/v1/bundles/${bundleId}`);
    expect(view.body.info.bundle).toMatchObject({
      bundleId,
      name: 'Night market',
      startsAt: START,
      endsAt: END,
    });
    expect(
      view.body.info.bundle.programs.map((p: { channelId: string; cardHeld: boolean }) => [
        p.channelId,
        p.cardHeld,
      ]),
    ).toEqual([
      [a.channelId, true],
      [b.channelId, false],
    ]);
    for (const t of [BEFORE, new Date(END), new Date('2026-12-09T00:00:00.000Z')]) {
      at(t);
      const res = await u.get(`/v1/bundles/${bundleId}`);
      expect([t.toISOString(), res.status, res.body.returnCode]).toEqual([t.toISOString(), 404, '4004']);
      const reserve = await u.post('/v1/bindings', { channelId: b.channelId, bundleId });
      expect([reserve.status, reserve.body.returnCode]).toEqual([404, '4004']);
    }
    at(new Date(START));
    expect((await u.get(`/v1/bundles/${bundleId}`)).status).toBe(200);
    at(new Date(Date.parse(END) - 1000));
    expect((await u.get(`/v1/bundles/${bundleId}`)).status).toBe(200);
    at(DURING);
    expect((await call(platform, stranger, 'GET', `/admin/bundles/${bundleId}`)).statusCode).toBe(403);
  });

  it('before it starts, testers of every DRAFT program in it can try it; a tester of only some cannot', async () => {
    at(BEFORE);
    const live = defined(shops[0]);
    const d1 = await programOf(platform, owner, {
      name: 'Draft One',
      testers: ['dev:tester-both', 'dev:tester-one'],
    });
    const d2 = await programOf(platform, owner, { name: 'Draft Two', testers: ['dev:tester-both'] });
    const bundleId = await joinedBundle([live, d1, d2]);
    const both = await platform.wallet('tester-both');
    const one = await platform.wallet('tester-one');
    const nobody = await wallet();
    const seen = await both.get(`/v1/bundles/${bundleId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.info.bundle.programs.map((p: { channelId: string }) => p.channelId)).toEqual([
      live.channelId,
      d1.channelId,
      d2.channelId,
    ]);
    expect((await one.get(`/v1/bundles/${bundleId}`)).status).toBe(404);
    expect((await nobody.get(`/v1/bundles/${bundleId}`)).status).toBe(404);
    // The tester reserves through the bundle before it starts.
    const r = await both.post('/v1/bindings', { channelId: d1.channelId, bundleId });
    expect(r.status).toBe(201);
    // Inside its dates, everyone sees the LIVE programs; a DRAFT one only its testers.
    at(DURING);
    const everyone = await nobody.get(`/v1/bundles/${bundleId}`);
    expect(everyone.body.info.bundle.programs.map((p: { channelId: string }) => p.channelId)).toEqual([
      live.channelId,
    ]);
    const oneView = await one.get(`/v1/bundles/${bundleId}`);
    expect(oneView.body.info.bundle.programs.map((p: { channelId: string }) => p.channelId)).toEqual([
      live.channelId,
      d1.channelId,
    ]);
    // A bundle with no DRAFT program is not open early to anyone.
    at(BEFORE);
    const liveOnly = await joinedBundle([defined(shops[1]), defined(shops[2])]);
    expect((await both.get(`/v1/bundles/${liveOnly}`)).status).toBe(404);
  });

  it('Binding Reserve with a bundle: refused (4004, nothing stored) for a program the bundle does not offer', async () => {
    at(DURING);
    const [a, b, c] = [defined(shops[0]), defined(shops[1]), defined(shops[2])];
    const bundleId = await joinedBundle([a, b]);
    const u = await wallet();
    const before = await platform.counts();
    const bundleRows = async () =>
      (await platform.ctx.db.selectFrom('bundle_bindings').selectAll().execute()).length;
    const rowsBefore = await bundleRows();
    for (const body of [
      { channelId: c.channelId, bundleId },
      { channelId: a.channelId, bundleId: 'bd_AAAAAAAAAAAAAAAA' },
    ]) {
      const res = await u.post('/v1/bindings', body);
      expect([res.status, res.body.returnCode]).toEqual([404, '4004']);
    }
    const malformed = await u.post('/v1/bindings', { channelId: a.channelId, bundleId: 'nope' });
    expect([malformed.status, malformed.body.returnCode]).toEqual([400, '2101']);
    expect(await platform.counts()).toEqual(before);
    expect(await bundleRows()).toBe(rowsBefore);
    const ok = await u.post('/v1/bindings', { channelId: a.channelId, bundleId });
    expect(ok.status).toBe(201);
    expect(await bundleRows()).toBe(rowsBefore + 1);
  });

  it('banner: checked by content like logos, at most 1 MiB, served publicly with nosniff', async () => {
    at(DURING);
    const { bundleId } = await newBundle([defined(shops[0]).channelId, defined(shops[1]).channelId]);
    const url = `/admin/bundles/${bundleId}/banner`;
    const before = await adminDump(platform);
    const mismatch = await call(platform, admin, 'PUT', url, IMAGES.jpeg, { 'content-type': 'image/png' });
    expect([mismatch.statusCode, mismatch.json().returnCode]).toEqual([415, '2101']);
    const svg = await call(platform, admin, 'PUT', url, '<svg/>', { 'content-type': 'image/svg+xml' });
    expect([svg.statusCode, svg.json().returnCode]).toEqual([415, '2101']);
    const big = Buffer.concat([IMAGES.png, Buffer.alloc(1024 * 1024)]);
    const tooBig = await call(platform, admin, 'PUT', url, big, { 'content-type': 'image/png' });
    expect([tooBig.statusCode, tooBig.json().returnCode]).toEqual([413, '2102']);
    const denied = await call(platform, owner, 'PUT', url, IMAGES.png, { 'content-type': 'image/png' });
    expect([denied.statusCode, denied.json().returnCode]).toEqual([403, '4003']);
    expect(await adminDump(platform)).toBe(before);
    expect(
      (await platform.app.inject({ method: 'GET', url: `/v1/bundles/${bundleId}/banner` })).statusCode,
    ).toBe(404);

    const nearLimit = Buffer.concat([IMAGES.webp, Buffer.alloc(1024 * 1024 - IMAGES.webp.length)]);
    const up = await call(platform, admin, 'PUT', url, nearLimit, { 'content-type': 'image/webp' });
    expect([up.statusCode, up.json().info.bundle.bannerUrl]).toEqual([200, `/v1/bundles/${bundleId}/banner`]);
    const served = await platform.app.inject({ method: 'GET', url: `/v1/bundles/${bundleId}/banner` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(nearLimit)).toBe(true);
    expect(served.headers['cache-control']).toBe('public, max-age=300');
    expect(served.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(served.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const again = await platform.app.inject({
      method: 'GET',
      url: `/v1/bundles/${bundleId}/banner`,
      headers: { 'if-none-match': String(served.headers.etag) },
    });
    expect([again.statusCode, again.rawPayload.length]).toEqual([304, 0]);
  });

  it('figures equal the counts of a scripted scenario, computed independently', async () => {
    at(DURING);
    const [a, b, c] = [defined(shops[0]), defined(shops[1]), defined(shops[2])];
    const bundleId = await joinedBundle([a, b, c]);
    /** What happened, written down as the script runs; the expected figures are computed from it. */
    const events: { kind: 'view' | 'reserve' | 'added'; user: string; channelId?: string }[] = [];
    const users = new Map<string, WalletClient>();
    const user = async (name: string) => {
      const existing = users.get(name);
      if (existing) return existing;
      const w = await platform.wallet(`fig-${name}`);
      users.set(name, w);
      return w;
    };
    const view = async (name: string) => {
      const res = await (await user(name)).get(`/v1/bundles/${bundleId}`);
      expect(res.status).toBe(200);
      events.push({ kind: 'view', user: name });
    };
    /** Reserve from the bundle; `complete` runs the merchant's Apply and the wallet's completion. */
    const reserve = async (name: string, creds: Creds, complete: boolean, n: number) => {
      const w = await user(name);
      const res = await w.post('/v1/bindings', { channelId: creds.channelId, bundleId });
      expect(res.status).toBe(201);
      events.push({ kind: 'reserve', user: name, channelId: creds.channelId });
      if (!complete) return;
      const token = defined(new URL(res.body.info.redirectUrl).searchParams.get('token'));
      const applied = await merchantClient(platform, creds).apply({ token, membershipCode: code(n) });
      const done = await w.post('/v1/bindings/complete', {
        token: applied.completionToken,
        channelId: creds.channelId,
        status: 'SUCCESS',
      });
      expect(done.status).toBe(200);
      events.push({ kind: 'added', user: name, channelId: creds.channelId });
    };

    await view('ann');
    await reserve('ann', a, true, 201);
    await view('ann');
    await reserve('ann', b, true, 202);
    await view('ann');
    await view('ben');
    await reserve('ben', a, false, 0);
    await view('cat');
    await addCard(platform, await user('cat'), c, code(203)); // not through the bundle: not counted
    await view('cat');
    await reserve('dan', a, true, 204); // from a shared link without opening the page (no view)
    await view('eve');
    await reserve('eve', c, true, 205);
    await reserve('eve', a, false, 0);
    const refused = await (await user('eve')).post('/v1/bindings', { channelId: c.channelId, bundleId });
    expect(refused.body.returnCode).toBe('3006'); // already held: no reservation

    const views = events.filter((e) => e.kind === 'view');
    const viewers = new Set(views.map((e) => e.user));
    const addedBy = new Set(events.filter((e) => e.kind === 'added').map((e) => e.user));
    const per = (kind: 'reserve' | 'added', channelId: string) =>
      events.filter((e) => e.kind === kind && e.channelId === channelId).length;
    const converted = [...viewers].filter((u) => addedBy.has(u)).length;

    const res = await call(platform, admin, 'GET', `/admin/bundles/${bundleId}/figures`);
    expect(res.statusCode).toBe(200);
    const f = res.json().info;
    expect({
      views: f.views,
      viewers: f.viewers,
      reservations: f.reservations,
      cardsAdded: f.cardsAdded,
      convertedViewers: f.convertedViewers,
      conversion: f.conversion,
    }).toEqual({
      views: views.length,
      viewers: viewers.size,
      reservations: events.filter((e) => e.kind === 'reserve').length,
      cardsAdded: events.filter((e) => e.kind === 'added').length,
      convertedViewers: converted,
      conversion: converted / viewers.size,
    });
    expect(f.programs).toEqual(
      [a, b, c].map((p) => ({
        channelId: p.channelId,
        name: expect.any(String),
        state: 'JOINED',
        reservations: per('reserve', p.channelId),
        cardsAdded: per('added', p.channelId),
        conversion: per('added', p.channelId) / viewers.size,
      })),
    );
    // The scenario is not trivial: every figure is different from what a broken count would give.
    expect([f.views, f.viewers, f.reservations, f.cardsAdded, f.convertedViewers]).toEqual([7, 4, 6, 4, 2]);
  });
});
